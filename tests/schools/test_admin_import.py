"""Importing a school file in the admin: upload -> preview (writes nothing) -> confirm."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.utils import timezone

from cms.roles import ADMIN, STAFF
from schools import sheets
from schools.models import School, SchoolImport
from tests.schools.factories import DAPODIK_HEADER, SchoolFactory, csv_file, xlsx_file

DAPODIK_XLSX = [
    ["Data Satuan Pendidikan Kab. Penajam Paser Utara"],
    [],
    DAPODIK_HEADER,
    [30401950, "SD NEGERI 001 BABULU", "SD", "Negeri", "Jl. Negara Km. 48", "Babulu Darat",
     "Kec. Babulu", -1.5051, 116.4539],
    [30401954, "SD NEGERI 002 BABULU", "SD", "Negeri", "Labangka", "Desa Labangka", "Babulu",
     -1.4588, 116.5092],
    [3040195, "SD NPSN PENDEK", "SD", "Negeri", "", "", "Babulu", None, None],
    [30401963, "SMP NEGERI 1 PENAJAM", "SMP", "Negeri", "", "Kel. Penajam", "Penajam", 5, 50],
    [30402067, "SMA NEGERI 1 PPU", "SMA", "Negeri", "", "", "Penajam", None, None],
    [69999999, "SD DI KOTA LAIN", "SD", "Swasta", "", "", "Balikpapan Utara", None, None],
]  # fmt: skip


@pytest.fixture
def staff(role_clients, ppu):
    return role_clients(STAFF)


def upload(client, file):
    return client.post("/admin/schools/import/", {"file": file})


def test_a_staff_member_imports_a_dapodik_xlsx_through_the_admin(
    staff, babulu, django_capture_on_commit_callbacks
):
    SchoolFactory(npsn="30402067", name="SMA 1 Lama", district=babulu)
    assert "Impor dari berkas" in staff.get("/admin/schools/").content.decode()

    # Upload: the preview flags the bad rows and writes nothing.
    response = upload(staff, xlsx_file(DAPODIK_XLSX, name="dapodik-ppu.xlsx"))
    record = SchoolImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/schools/import/{record.pk}/"
    assert list(School.objects.values_list("name", flat=True)) == ["SMA 1 Lama"]

    preview = staff.get(response["Location"]).content.decode()
    assert "dapodik-ppu.xlsx" in preview
    assert "NPSN &#x27;3040195&#x27; tidak tepat 8 angka." in preview
    assert "di luar Indonesia" in preview
    assert "Kecamatan &#x27;Balikpapan Utara&#x27; tidak dikenal" in preview
    assert "Impor 2 sekolah baru dan 1 sekolah yang diperbarui" in preview
    assert "3 baris yang bermasalah akan dilewati" in preview
    assert School.objects.count() == 1

    # Confirm: the valid rows are imported, the file is removed from the server.
    stored = record.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(f"/admin/schools/import/{record.pk}/", follow=True)
    assert "Diimpor: 2 sekolah baru dan 1 sekolah diperbarui." in response.content.decode()
    assert set(School.objects.values_list("npsn", flat=True)) == {
        "30401950",
        "30401954",
        "30402067",
    }
    assert School.objects.get(npsn="30402067").name == "SMA NEGERI 1 PPU"
    assert School.objects.get(npsn="30401954").source == "Impor dapodik-ppu.xlsx"
    record.refresh_from_db()
    assert record.status == SchoolImport.Status.IMPORTED and not record.file
    assert not default_storage.exists(stored)

    # ...and finds them filtered by kecamatan.
    listing = staff.get(f"/admin/schools/?district={babulu.pk}").content.decode()
    assert "SD NEGERI 001 BABULU" in listing and "SD NEGERI 002 BABULU" in listing
    assert "SMA NEGERI 1 PPU" not in listing


def test_the_file_is_kept_on_the_server_and_only_its_id_travels(staff):
    response = upload(staff, csv_file([DAPODIK_HEADER, DAPODIK_XLSX[3]]))
    record = SchoolImport.objects.get()
    assert default_storage.exists(record.file.name)
    assert str(record.pk) in response["Location"]
    preview = staff.get(response["Location"]).content.decode()
    assert 'type="file"' not in preview
    assert 'name="file"' not in preview


def test_a_second_confirmation_imports_nothing_more(staff):
    upload(staff, csv_file([DAPODIK_HEADER, DAPODIK_XLSX[3]]))
    record = SchoolImport.objects.get()
    staff.post(f"/admin/schools/import/{record.pk}/")
    School.objects.update(name="Diubah sesudahnya")

    response = staff.post(f"/admin/schools/import/{record.pk}/", follow=True)

    assert "Berkas ini sudah diimpor." in response.content.decode()
    assert School.objects.get().name == "Diubah sesudahnya"


def test_only_the_uploader_can_confirm(staff, role_clients, ppu):
    upload(staff, csv_file([DAPODIK_HEADER, DAPODIK_XLSX[3]]))
    record = SchoolImport.objects.get()
    admin = role_clients(ADMIN)

    page = admin.get(f"/admin/schools/import/{record.pk}/").content.decode()
    assert "Hanya pengunggah berkas ini" in page
    assert admin.post(f"/admin/schools/import/{record.pk}/").status_code == 404
    assert School.objects.count() == 0


def test_an_unknown_import_id_is_not_found(staff):
    url = "/admin/schools/import/8d1f0d6e-5f0e-4c39-9a3c-2f1c5a0e9b11/"
    assert staff.get(url).status_code == 404
    assert staff.post(url).status_code == 404


def test_a_file_with_only_unchanged_rows_offers_nothing_to_confirm(staff):
    upload(staff, csv_file([DAPODIK_HEADER, DAPODIK_XLSX[3]]))
    staff.post(f"/admin/schools/import/{SchoolImport.objects.get().pk}/")

    response = upload(staff, csv_file([DAPODIK_HEADER, DAPODIK_XLSX[3]]))
    preview = staff.get(response["Location"]).content.decode()
    assert "Tidak ada yang perlu diimpor" in preview
    assert f'action="{response["Location"]}"' not in preview


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (lambda: io.BytesIO(b""), "Berkas yang dikirimkan kosong."),
        (lambda: io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00"), "bukan berkas CSV maupun"),
        (lambda: io.BytesIO("NPSN;Nama\n1;Sé\n".encode("cp1252")), "Windows-1252"),
        (lambda: io.BytesIO(b"Nama,Alamat\nSD,Jl\n"), "Kolom &#x27;NPSN&#x27; tidak ditemukan"),
    ],
    ids=["empty", "png", "windows-1252", "no-npsn"],
)
def test_a_bad_file_is_refused_on_the_upload_form(staff, file, message):
    data = file()
    data.name = "sekolah.csv"
    response = upload(staff, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert SchoolImport.objects.count() == 0


def test_a_file_over_10_mb_is_refused_on_the_upload_form(staff, monkeypatch):
    monkeypatch.setattr(sheets, "MAX_FILE_SIZE", 100)
    monkeypatch.setattr("schools.forms.MAX_FILE_SIZE", 100)
    data = csv_file([DAPODIK_HEADER, *[DAPODIK_XLSX[3]] * 5])
    response = upload(staff, data)
    assert "Berkas lebih besar dari 10 MB." in response.content.decode()
    assert SchoolImport.objects.count() == 0


def test_uploads_never_confirmed_are_purged_after_a_day(staff):
    upload(staff, csv_file([DAPODIK_HEADER, DAPODIK_XLSX[3]]))
    stale = SchoolImport.objects.get()
    SchoolImport.objects.update(created_at=timezone.now() - timedelta(days=2))

    upload(staff, csv_file([DAPODIK_HEADER, DAPODIK_XLSX[4]]))

    assert not SchoolImport.objects.filter(pk=stale.pk).exists()
    assert not default_storage.exists(stale.file.name)
    assert SchoolImport.objects.count() == 1


def test_importing_needs_both_add_and_change_permissions(role_clients, ppu):
    client = role_clients(STAFF)
    assert client.get("/admin/schools/import/").status_code == 200
    staff = Group.objects.get(name=STAFF)
    staff.permissions.remove(*staff.permissions.filter(codename="add_school"))
    assert client.get("/admin/schools/import/").status_code in (302, 403)
    assert client.post("/admin/schools/import/", {}).status_code in (302, 403)
