"""The district profile as staff edit it in the admin, and what it changes."""

import importlib

import pytest
from wagtail.models import Site

from cms.district import DistrictProfile, profile, zone_of_region
from cms.roles import ADMIN

pytestmark = pytest.mark.django_db

FIELDS = {
    "office_name": "DP3A Kota Sabang",
    "office_short_name": "DP3A",
    "region_name": "Kota Sabang",
    "region_code": "11.72",
    "time_zone": "Asia/Jakarta",
}


def url() -> str:
    return f"/admin/settings/cms/districtprofile/{Site.objects.get(is_default_site=True).id}/"


def test_an_admin_sets_the_profile_and_every_page_follows_at_once(
    role_clients, public_site, client
):
    before = client.get("/").content.decode()
    assert f"Sekolah Aman dikelola oleh {profile().office_name}." in before
    response = role_clients(ADMIN).post(url(), FIELDS)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert DistrictProfile.objects.get().region_code == "11.72"
    assert profile().zone_label == "WIB"  # read again on save, not a minute later
    assert "Sekolah Aman dikelola oleh DP3A Kota Sabang." in client.get("/").content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("region_code", "11.7", "Tulis kode Kemendagri provinsi (64) atau kabupaten/kota"),
        ("region_code", "64.09.01", "paling banyak 5 karakter"),
        ("time_zone", "Europe/Paris", "Masukkan pilihan yang valid"),
        ("office_name", "", "Kolom ini  harus diisi"),
        ("office_name", "x" * 201, "paling banyak 200 karakter"),
    ],
)
def test_a_bad_value_is_refused_in_indonesian_and_what_was_typed_is_kept(
    role_clients, field, value, message
):
    response = role_clients(ADMIN).post(url(), {**FIELDS, field: value})
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert 'value="Kota Sabang"' in html  # the other fields as typed
    assert not DistrictProfile.objects.filter(region_code="11.72").exists()


def test_a_profile_that_is_not_saved_yet_has_the_servers_zone_and_a_generic_office(db):
    assert not DistrictProfile.objects.exists()
    assert (profile().time_zone, profile().zone_label) == ("Asia/Makassar", "WITA")
    assert profile().office_short_name == "DP3A"
    assert not DistrictProfile.objects.exists()  # reading it wrote nothing


@pytest.mark.parametrize(
    ("code", "zone"),
    [("11.72", "Asia/Jakarta"), ("61", "Asia/Jakarta"), ("62.01", "Asia/Jakarta"),
     ("64.09", "Asia/Makassar"), ("51.71", "Asia/Makassar"), ("73", "Asia/Makassar"),
     ("81.01", "Asia/Jayapura"), ("91.71", "Asia/Jayapura"), ("97", "Asia/Jayapura")],
)  # fmt: skip
def test_a_regions_zone_follows_from_its_provinces_code(code, zone):
    assert zone_of_region(code) == zone


def test_an_instance_from_before_gets_its_profile_from_what_it_holds(db):
    from django.apps import apps

    from quizzes.models import CertificateSettings
    from schools.models import Regency

    migration = importlib.import_module(
        "monitoring.migrations.0005_district_profile_of_an_existing_instance"
    )
    site = Site.objects.get(is_default_site=True)
    migration.create(apps, None)
    assert not DistrictProfile.objects.exists()  # a new instance: nothing to go by

    CertificateSettings.objects.create(site=site, issuer="DP3AP2KB Kabupaten Contoh")
    Regency.objects.create(code="91.71", name="Kota Jayapura")
    migration.create(apps, None)
    saved = DistrictProfile.objects.get(site=site)
    assert (saved.office_name, saved.region_name, saved.region_code, saved.time_zone) == (
        "DP3AP2KB Kabupaten Contoh", "Kota Jayapura", "91.71", "Asia/Jayapura"
    )  # fmt: skip
    saved.office_name = "Diubah staf"
    saved.save()
    migration.create(apps, None)  # run again: an existing profile is left as it is
    assert DistrictProfile.objects.get(site=site).office_name == "Diubah staf"
