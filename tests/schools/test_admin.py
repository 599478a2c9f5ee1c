"""The registry screens: listings, filters, search, detail pages, exports, edits."""

import io

import pytest
import time_machine
from openpyxl import load_workbook
from wagtail import hooks
from wagtail.models import ReferenceIndex

from campaigns.models import VisitStatus
from cms.roles import STAFF
from schools.models import School, SchoolLevel, SchoolStatus
from schools.services import school_import
from tests.campaigns.factories import CampaignFactory, VisitFactory, wita
from tests.downloads import csv_rows
from tests.schools.factories import SchoolFactory, VillageFactory, csv_file


@pytest.fixture
def staff(role_clients):
    return role_clients(STAFF)


@pytest.fixture
def schools(penajam, babulu, kel_penajam):
    return {
        "sd": SchoolFactory(
            name="SD Negeri 001 Penajam", npsn="30401111", district=penajam, village=kel_penajam
        ),
        "smp": SchoolFactory(
            name="SMP Swasta Harapan",
            npsn="30402222",
            district=penajam,
            level=SchoolLevel.SMP,
            status=SchoolStatus.SWASTA,
        ),
        "babulu": SchoolFactory(name="SD Negeri 002 Babulu", npsn="30403333", district=babulu),
    }


def listed(response) -> set[str]:
    content = response.content.decode()
    return {name for name in ("SD Negeri 001 Penajam", "SMP Swasta Harapan", "SD Negeri 002 Babulu")
            if name in content}  # fmt: skip


def test_lists_every_school_with_its_place(staff, schools):
    response = staff.get("/admin/schools/")
    assert response.status_code == 200
    assert listed(response) == {
        "SD Negeri 001 Penajam",
        "SMP Swasta Harapan",
        "SD Negeri 002 Babulu",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("district={penajam}", {"SD Negeri 001 Penajam", "SMP Swasta Harapan"}),
        ("village={kel_penajam}", {"SD Negeri 001 Penajam"}),
        ("level=smp", {"SMP Swasta Harapan"}),
        ("status=swasta", {"SMP Swasta Harapan"}),
        ("q=babulu", {"SD Negeri 002 Babulu"}),
        ("q=30402222", {"SMP Swasta Harapan"}),
        ("q=3040", {"SD Negeri 001 Penajam", "SMP Swasta Harapan", "SD Negeri 002 Babulu"}),
    ],
)
def test_filters_and_search(staff, schools, penajam, kel_penajam, query, expected):
    url = "/admin/schools/?" + query.format(penajam=penajam.pk, kel_penajam=kel_penajam.pk)
    assert listed(staff.get(url)) == expected


@time_machine.travel("2026-06-15 10:00 +0800")
def test_reached_filter_defaults_to_this_year(staff, schools):
    VisitFactory(school=schools["sd"], status=VisitStatus.DONE, starts_at=wita(2026, 3, 1, 9))
    VisitFactory(school=schools["smp"], status=VisitStatus.DONE, starts_at=wita(2025, 11, 1, 9))
    VisitFactory(
        school=schools["babulu"], status=VisitStatus.CANCELLED, starts_at=wita(2026, 3, 2, 9)
    )

    assert listed(staff.get("/admin/schools/?reached=yes")) == {"SD Negeri 001 Penajam"}
    assert listed(staff.get("/admin/schools/?reached=no")) == {
        "SMP Swasta Harapan",
        "SD Negeri 002 Babulu",
    }
    last_year = "reached=yes&period_from=2025-01-01&period_to=2025-12-31"
    assert listed(staff.get(f"/admin/schools/?{last_year}")) == {"SMP Swasta Harapan"}


@time_machine.travel("2026-06-15 10:00 +0800")
def test_villages_list_filters_by_kecamatan_and_reach(staff, ppu, penajam, kel_penajam):
    VisitFactory(village=kel_penajam, status=VisitStatus.DONE, starts_at=wita(2026, 3, 1, 9))
    response = staff.get(f"/admin/villages/?district={penajam.pk}&reached=yes")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Penajam" in content and "Tanjung Tengah" not in content
    unreached = staff.get(f"/admin/villages/?district={penajam.pk}&reached=no").content.decode()
    assert "Tanjung Tengah" in unreached


def test_school_page_shows_the_sessions_held_there(staff, schools):
    VisitFactory(
        school=schools["sd"],
        campaign=CampaignFactory(name="Sekolah Ramah Anak"),
        students_male=20,
        students_female=25,
        status=VisitStatus.DONE,
        starts_at=wita(2026, 3, 1, 9),
    )
    response = staff.get(f"/admin/schools/inspect/{schools['sd'].pk}/")
    content = response.content.decode()
    assert "Sekolah Ramah Anak" in content
    assert "45" in content
    assert "Kel. Penajam" not in content and "Kelurahan Penajam" in content
    other = staff.get(f"/admin/schools/inspect/{schools['smp'].pk}/").content.decode()
    assert "Belum ada sesi." in other


def test_village_page_shows_its_sessions_and_schools(staff, schools, kel_penajam):
    VisitFactory(
        village=kel_penajam,
        campaign=CampaignFactory(name="Desa Layak Anak"),
        status=VisitStatus.DONE,
        starts_at=wita(2026, 3, 1, 9),
    )
    content = staff.get(f"/admin/villages/inspect/{kel_penajam.pk}/").content.decode()
    assert "Desa Layak Anak" in content
    assert f"/admin/schools/?village={kel_penajam.pk}" in content
    assert "1 sekolah di desa/kelurahan ini" in content


# Sessions come from campaigns through the "registry_sessions" hooks


@time_machine.travel("2026-06-15 10:00 +0800")
def test_the_listing_counts_the_sessions_campaigns_reports(staff, schools):
    for day in (3, 9):
        VisitFactory(school=schools["sd"], status=VisitStatus.DONE, starts_at=wita(2026, 3, day, 9))
    VisitFactory(school=schools["smp"], status=VisitStatus.SCHEDULED, starts_at=wita(2026, 7, 1, 9))
    VisitFactory(school=schools["babulu"], status=VisitStatus.DONE, starts_at=wita(2025, 5, 1, 9))

    header, *rows = csv_rows(staff.get("/admin/schools/?export=csv"))
    sessions = {row[0]: (row[header.index("Sesi dalam periode")], row[-1]) for row in rows}
    assert sessions == {
        "30401111": ("2", "2026-03-09"),
        "30402222": ("0", ""),
        "30403333": ("0", ""),
    }
    last_year = "period_from=2025-01-01&period_to=2025-12-31&export=csv"
    header, *rows = csv_rows(staff.get(f"/admin/schools/?{last_year}"))
    assert {row[0]: row[header.index("Sesi dalam periode")] for row in rows}["30403333"] == "1"


@pytest.fixture
def no_session_hooks(monkeypatch):
    """As if no app reported sessions to the registry."""
    for name in ("registry_sessions", "registry_place_sessions"):
        monkeypatch.setitem(hooks._hooks, name, [])


@time_machine.travel("2026-06-15 10:00 +0800")
def test_without_the_hooks_the_registry_works_and_shows_no_sessions(
    staff, schools, no_session_hooks
):
    VisitFactory(school=schools["sd"], status=VisitStatus.DONE, starts_at=wita(2026, 3, 1, 9))
    assert listed(staff.get("/admin/schools/")) == set(
        School.objects.values_list("name", flat=True)
    )
    assert listed(staff.get("/admin/schools/?reached=yes")) == set()
    assert len(listed(staff.get("/admin/schools/?reached=no"))) == 3
    header, *rows = csv_rows(staff.get("/admin/schools/?export=csv"))
    assert {row[header.index("Sesi dalam periode")] for row in rows} == {"0"}
    page = staff.get(f"/admin/schools/inspect/{schools['sd'].pk}/").content.decode()
    assert "Belum ada sesi." in page


# Exports


@pytest.fixture
def risky(penajam):
    return SchoolFactory(
        npsn="30409999",
        name='=HYPERLINK("http://jahat.example","klik")',
        address="+62 cmd|' /C calc'!A0",
        headteacher="@SUM(1+1)",
        phone="-1+2",
        district=penajam,
    )


def test_csv_export_neutralises_formulas_and_follows_the_filters(staff, schools, risky, penajam):
    response = staff.get(f"/admin/schools/?district={penajam.pk}&export=csv")
    assert response["Content-Disposition"].startswith('attachment; filename="sekolah.csv"')
    header, *rows = csv_rows(response)
    assert header[:4] == ["NPSN", "Nama Sekolah", "Jenjang", "Bentuk Pendidikan"]
    assert {row[0] for row in rows} == {"30401111", "30402222", "30409999"}
    row = next(row for row in rows if row[0] == "30409999")
    cells = dict(zip(header, row, strict=True))
    assert cells["Nama Sekolah"] == '\'=HYPERLINK("http://jahat.example","klik")'
    assert cells["Alamat"].startswith("'+62")
    assert cells["Kepala Sekolah"] == "'@SUM(1+1)"
    assert cells["Telepon"] == "'-1+2"
    for cell in row:
        assert not cell.startswith(("=", "+", "-", "@")) or cell == cells["Lintang"]


def test_xlsx_export_neutralises_formulas(staff, risky):
    response = staff.get("/admin/schools/?export=xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    header, *rows = workbook.active.iter_rows(values_only=True)
    cells = dict(zip(header, rows[0], strict=True))
    assert cells["Nama Sekolah"].startswith("'=")
    assert cells["Alamat"].startswith("'+")
    assert cells["Kepala Sekolah"].startswith("'@")
    assert cells["Telepon"] == "'-1+2"
    assert all(cell.data_type != "f" for row in workbook.active.iter_rows() for cell in row)


def test_an_edited_export_imports_back(staff, schools, risky):
    header, *rows = csv_rows(staff.get("/admin/schools/?export=csv"))
    assert school_import(file=csv_file([header, *rows])).counts["unchanged"] == 4

    rows[0][header.index("Alamat")] = "Jl. Baru No. 1"
    report = school_import(file=csv_file([header, *rows]))
    assert report.counts == {"created": 0, "updated": 1, "unchanged": 3, "error": 0}
    assert School.objects.get(npsn=rows[0][0]).address == "Jl. Baru No. 1"
    assert School.objects.get(npsn="30409999").name.startswith("=HYPERLINK")


def test_village_export_has_the_region_import_headings(staff, ppu):
    header, *rows = csv_rows(staff.get("/admin/villages/?export=csv"))
    assert header[:4] == ["Kode Kemendagri", "Nama", "Jenis", "Kecamatan"]
    assert len(rows) == 54


# Edits and deletion


def test_the_edit_form_refuses_a_village_of_another_kecamatan(staff, schools, babulu):
    school = schools["sd"]
    data = {
        "npsn": school.npsn, "name": school.name, "level": "sd", "status": "negeri",
        "district": babulu.pk, "village": school.village_id, "tppk_status": "unknown",
        "is_active": "on",
    }  # fmt: skip
    response = staff.post(f"/admin/schools/edit/{school.pk}/", data)
    assert response.status_code == 200
    assert "tidak berada di kecamatan yang dipilih" in response.content.decode()
    school.refresh_from_db()
    assert school.district.name == "Penajam"


def test_a_village_code_must_belong_to_its_kecamatan(staff, penajam, babulu):
    data = {"code": "64.09.03.2099", "name": "Desa Baru", "kind": "desa", "district": penajam.pk}
    response = staff.post("/admin/villages/new/", data)
    assert "Kode ini tidak termasuk dalam kode kecamatan yang dipilih." in response.content.decode()
    assert staff.post("/admin/villages/new/", {**data, "district": babulu.pk}).status_code == 302


def test_a_school_with_sessions_cannot_be_deleted_but_says_why(staff, schools):
    staff.get("/admin/schools/")  # the admin registers visits in Wagtail's reference index
    VisitFactory(school=schools["sd"], status=VisitStatus.DONE, starts_at=wita(2026, 3, 1, 9))
    confirm = staff.get(f"/admin/schools/delete/{schools['sd'].pk}/")
    assert confirm.context["is_protected"]
    staff.post(f"/admin/schools/delete/{schools['sd'].pk}/")
    assert School.objects.filter(pk=schools["sd"].pk).exists()


def test_a_protected_school_missing_from_the_reference_index_still_says_why(staff, schools):
    VisitFactory(school=schools["sd"], status=VisitStatus.DONE, starts_at=wita(2026, 3, 1, 9))
    ReferenceIndex.objects.all().delete()
    response = staff.post(f"/admin/schools/delete/{schools['sd'].pk}/", follow=True)
    assert response.status_code == 200
    assert "tidak dapat dihapus" in response.content.decode()
    assert School.objects.filter(pk=schools["sd"].pk).exists()


def test_a_village_with_schools_cannot_be_deleted(staff, schools, kel_penajam):
    response = staff.post(f"/admin/villages/delete/{kel_penajam.pk}/", follow=True)
    assert "tidak dapat dihapus" in response.content.decode()
    assert kel_penajam.__class__.objects.filter(pk=kel_penajam.pk).exists()


def test_an_unused_school_or_village_can_be_deleted(staff, schools, penajam):
    village = VillageFactory(district=penajam, code="64.09.01.2999")
    assert staff.post(f"/admin/schools/delete/{schools['smp'].pk}/").status_code == 302
    assert staff.post(f"/admin/villages/delete/{village.pk}/").status_code == 302
    assert not School.objects.filter(pk=schools["smp"].pk).exists()
