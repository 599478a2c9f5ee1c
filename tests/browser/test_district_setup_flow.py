"""The IT officer of another district: imports its files with setup_district (as the
README says), checks the district profile in the admin, and finds the district on the
dashboard, in its own time zone, and named on the public site."""

import io
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import expect
from wagtail.models import Site

from cms.district import DistrictProfile
from cms.roles import ADMIN
from schools.models import Regency

SABANG = Path(__file__).parent.parent / "data" / "sabang"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_another_district_is_set_up_and_sees_itself(
    desk, live_server, public_site, django_user_model
):
    call_command(
        "setup_district", "11.72",
        "--regions", str(SABANG / "regions.csv"),
        "--schools", str(SABANG / "schools.csv"),
        "--kecamatan-boundaries", str(SABANG / "kecamatan.geojson"),
        stdout=io.StringIO(),
    )  # fmt: skip
    # The IT officer administers the platform.
    django_user_model.objects.get(username="staf").groups.add(Group.objects.get(name=ADMIN))
    site = Site.objects.get(is_default_site=True)

    desk.goto(f"{live_server.url}/admin/settings/cms/districtprofile/{site.pk}/")
    expect(desk.locator("#id_region_name")).to_have_value("Kota Sabang")
    expect(desk.locator("#id_time_zone")).to_have_value("Asia/Jakarta")
    desk.locator("#id_office_name").fill("DP3A Kota Sabang")
    desk.locator("#id_office_short_name").fill("DP3A Sabang")
    desk.get_by_role("button", name="Simpan").click()
    expect(desk.locator(".messages")).to_contain_text("diperbarui")
    assert DistrictProfile.objects.get().office_name == "DP3A Kota Sabang"

    regency = Regency.objects.get(code="11.72")
    desk.goto(f"{live_server.url}/admin/jangkauan/?kabupaten={regency.pk}")
    expect(desk.get_by_text("(WIB)").first).to_be_visible()
    expect(desk.locator("svg path title", has_text="Sukajaya")).to_have_count(1)
    assert "WITA" not in desk.content()

    desk.goto(live_server.url + "/")
    expect(desk.get_by_text("Sekolah Aman dikelola oleh DP3A Kota Sabang.")).to_be_visible()
