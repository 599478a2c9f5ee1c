"""QR codes, posters, certificates and calendars carry WAGTAILADMIN_BASE_URL: a classroom
demo served on the local network must put the machine's network address there, and the
admin warns when phones could not open it."""

import ipaddress

import pytest

from cms import lan
from cms.links import is_loopback
from cms.roles import STAFF

WARNING = "tidak bisa dibuka dari ponsel atau komputer lain"


@pytest.mark.parametrize(
    "host, loopback",
    [("127.0.0.1", True), ("127.8.0.1", True), ("localhost", True), ("[::1]", True),
     ("::1", True), ("192.168.1.20", False), ("sekolahaman.penajamkab.go.id", False),
     ("0.0.0.0", False), ("", False)],  # noqa: S104
)  # fmt: skip
def test_loopback_hosts(host, loopback):
    assert is_loopback(host) is loopback


def test_serving_on_all_interfaces_uses_the_network_address(monkeypatch):
    monkeypatch.setattr(lan, "lan_address", lambda: "192.168.1.20")
    assert lan.demo_environment("0.0.0.0:8000", {}) == {
        "WAGTAILADMIN_BASE_URL": "http://192.168.1.20:8000",
        "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1,[::1],192.168.1.20",
    }
    assert lan.demo_environment("192.168.1.20:8080", {})["WAGTAILADMIN_BASE_URL"] == (
        "http://192.168.1.20:8080"
    )


def test_what_is_already_set_and_loopback_hosts_are_left_alone(monkeypatch):
    monkeypatch.setattr(lan, "lan_address", lambda: "192.168.1.20")
    configured = {"WAGTAILADMIN_BASE_URL": "https://sekolahaman.penajamkab.go.id"}
    assert lan.demo_environment("0.0.0.0:8000", configured) == {
        "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1,[::1],192.168.1.20"
    }
    assert lan.demo_environment("127.0.0.1:8000", {}) == {}
    assert lan.demo_environment("8000", {}) == {}
    assert lan.demo_environment("localhost:8000", {}) == {}


def test_the_network_address_is_an_address_of_this_machine():
    assert ipaddress.ip_address(lan.lan_address())


@pytest.fixture
def staff_on_the_network(settings, role_clients):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "192.168.1.20"]
    return role_clients(STAFF)


def test_admin_warns_when_phones_cannot_open_the_printed_address(settings, staff_on_the_network):
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    html = staff_on_the_network.get("/admin/", HTTP_HOST="192.168.1.20:8000").content.decode()
    assert WARNING in html and "http://127.0.0.1:8000" in html
    assert "misalnya http://192.168.1.20:8000" in html
    # A request that shows no page (here the admin's JSON API) leaves it for the next
    # page, which shows it once, not twice.
    staff_on_the_network.get("/admin/api/main/pages/", HTTP_HOST="192.168.1.20:8000")
    html = staff_on_the_network.get("/admin/", HTTP_HOST="192.168.1.20:8000").content.decode()
    assert html.count(WARNING) == 1


@pytest.mark.parametrize(
    "base_url, host",
    [
        ("http://192.168.1.20:8000", "192.168.1.20:8000"),  # set for the network
        ("http://127.0.0.1:8000", "127.0.0.1:8000"),  # everything on this machine
    ],
)
def test_admin_is_quiet_when_the_printed_address_fits(
    settings, staff_on_the_network, base_url, host
):
    settings.WAGTAILADMIN_BASE_URL = base_url
    html = staff_on_the_network.get("/admin/", HTTP_HOST=host).content.decode()
    assert WARNING not in html


def test_public_pages_leave_no_warning_behind(settings, staff_on_the_network, public_site):
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    staff_on_the_network.get("/", HTTP_HOST="192.168.1.20:8000")
    html = staff_on_the_network.get("/admin/", HTTP_HOST="127.0.0.1:8000").content.decode()
    assert WARNING not in html
