"""The issue's "Done when" in a real browser: staff filter the reach dashboard to one
kecamatan, see the map and the unreached schools, schedule a visit from the list and
take the Excel file and the PDF report."""

import io
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from schools.models import District
from schools.regions import BUNDLED_REGIONS, region_import
from tests.campaigns.factories import CampaignFactory, VisitFactory
from tests.campaigns.factories import wita as at_wita
from tests.schools.factories import SchoolFactory


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_staff_find_an_unreached_school_schedule_it_and_take_the_report(desk, live_server):
    with open(BUNDLED_REGIONS, "rb") as regions:
        region_import(file=regions)
    penajam = District.objects.get(name="Penajam")
    campaign = CampaignFactory(name="Sekolah Ramah Anak")
    reached = SchoolFactory(name="SD NEGERI 001 PENAJAM", district=penajam,
                            latitude="-1.250000", longitude="116.700000")  # fmt: skip
    SchoolFactory(name="SMP NEGERI 2 PENAJAM", level="smp", district=penajam)
    SchoolFactory(name="SD NEGERI 001 WARU", district=District.objects.get(name="Waru"))
    this_january = at_wita(timezone.localdate().year, 1, 2, 9)
    VisitFactory(school=reached, campaign=campaign, status="done", starts_at=this_january,
                 students_male=20, students_female=22)  # fmt: skip

    # The sidebar entry (the first screen also links to it).
    desk.get_by_role("navigation").get_by_role("link", name="Jangkauan").click()
    desk.get_by_role("combobox", name="Kecamatan").select_option(label="Penajam")
    desk.get_by_role("button", name="Tampilkan").click()

    expect(desk.locator("svg.reach-map")).to_be_visible()
    expect(desk.get_by_text("Sesi dari 1 Januari")).to_contain_text("Kecamatan Penajam")
    expect(desk.get_by_role("heading", name="Belum terjangkau")).to_be_visible()
    assert desk.get_by_text("SD NEGERI 001 WARU").count() == 0
    desk.get_by_role("link", name="Jadwalkan kunjungan (SMP NEGERI 2 PENAJAM)").click()
    expect(desk.get_by_label("Sekolah", exact=True)).to_have_value(
        str(penajam.schools.get(level="smp").pk)
    )

    desk.go_back()
    with desk.expect_download() as download:
        desk.get_by_role("link", name="Excel (XLSX)").click()
    assert download.value.suggested_filename.endswith("-penajam.xlsx")
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    summary = {row[0]: row[1] for row in workbook["Ringkasan"].iter_rows(values_only=True)}
    assert (summary["Sekolah terjangkau"], summary["Sekolah di registri"]) == (1, 2)

    # The report is made by a task (eager here): its page then offers the PDF.
    desk.get_by_role("button", name="Laporan (PDF)").click()
    expect(desk.get_by_text("Laporan sudah siap.")).to_be_visible()
    report = desk.get_by_role("link", name="Unduh laporan (PDF)").get_attribute("href")
    response = desk.request.get(live_server.url + report)
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
