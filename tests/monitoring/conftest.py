from urllib.parse import parse_qsl

import pytest

from cms.roles import STAFF
from quizzes.tallies import quiz_tallies_refresh


@pytest.fixture
def world(world):
    """The small world with its quiz tallies up to date, as beat keeps them."""
    quiz_tallies_refresh()
    return world


@pytest.fixture
def staff_client(role_clients):
    return role_clients(STAFF)


@pytest.fixture
def report_pdf(django_capture_on_commit_callbacks):
    """Ask for the printed report as the dashboard's button does (a POST of its filters),
    let the task run, follow its page and return the PDF response."""

    def ask(client, filters: str | dict):
        data = dict(parse_qsl(filters.lstrip("?"))) if isinstance(filters, str) else filters
        with django_capture_on_commit_callbacks(execute=True):
            asked = client.post("/admin/jangkauan/laporan/", data)
        assert asked.status_code == 302, asked.status_code
        page = client.get(asked["Location"])
        assert page.status_code == 200 and "Refresh" not in page
        assert "Laporan sudah siap" in page.content.decode()
        return client.get(asked["Location"].rstrip("/") + ".pdf")

    return ask
