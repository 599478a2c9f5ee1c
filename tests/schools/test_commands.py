"""import_regions and import_schools, as staff run them."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from schools.models import District, Regency, School, Village, VillageKind
from tests.schools.factories import DAPODIK_HEADER, SchoolFactory, csv_file

GOOD = ["30401950", "SD NEGERI 001 BABULU", "SD", "Negeri", "", "Babulu Darat", "Babulu", "", ""]
BAD = ["123", "SD Salah", "SD", "Negeri", "", "", "Babulu", "", ""]


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def write(tmp_path, rows, name="sekolah.csv"):
    path = tmp_path / name
    path.write_bytes(csv_file(rows).getvalue())
    return str(path)


@pytest.mark.django_db
def test_import_regions_loads_the_bundled_ppu_list_once():
    output = run("import_regions")

    assert "Baru: 59, diperbarui: 0, tidak berubah: 0, bermasalah: 0." in output
    assert Regency.objects.get().code == "64.09"
    assert sorted(District.objects.values_list("code", "name")) == [
        ("64.09.01", "Penajam"),
        ("64.09.02", "Waru"),
        ("64.09.03", "Babulu"),
        ("64.09.04", "Sepaku"),
    ]
    assert Village.objects.count() == 54
    assert Village.objects.filter(kind=VillageKind.KELURAHAN).count() == 24
    assert Village.objects.get(code="64.09.04.1007").name == "Maridan"

    again = run("import_regions")
    assert "Baru: 0, diperbarui: 0, tidak berubah: 59, bermasalah: 0." in again


@pytest.mark.django_db
def test_import_regions_reads_codes_without_dots_and_derives_the_rest(tmp_path):
    rows = [
        ["Kode", "Nama"],
        ["6409", "Penajam Paser Utara"],
        ["640901", "Penajam"],
        ["6409011011", "Penajam"],
        ["6409012020", "Giri Mukti"],
    ]
    run("import_regions", write(tmp_path, rows, "wilayah.csv"))
    assert Village.objects.get(code="64.09.01.1011").kind == VillageKind.KELURAHAN
    assert Village.objects.get(code="64.09.01.2020").district.name == "Penajam"


@pytest.mark.django_db
def test_import_regions_updates_a_renamed_village(ppu, tmp_path):
    rows = [["code", "name", "type"], ["64.09.02.2004", "Bangun Mulia", "desa"]]
    output = run("import_regions", write(tmp_path, rows, "wilayah.csv"))
    assert "Baris 2: Diperbarui" in output
    assert Village.objects.get(code="64.09.02.2004").name == "Bangun Mulia"


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (["64.09.09.2001", "Entah", "desa"], "Wilayah induknya, 64.09.09, tidak dikenal"),
        (["64.09.01.20", "Pendek", "desa"], "Kode wilayah '64.09.01.20' tidak dikenal"),
        (["64", "Kalimantan Timur", "provinsi"], "Kode wilayah '64' tidak dikenal"),
        (["64.09.0²", "Aneh", ""], "Kode wilayah '64.09.0²' tidak dikenal"),
        (["64.09.01.3001", "Aneh", ""], "desa atau kelurahan"),
        (["64.09.01.2099", "", "desa"], "Nama kosong"),
        (["64.09.01.1001", "Salinan", "kelurahan"], "muncul lebih dari sekali"),
    ],
)
def test_import_regions_refuses_bad_rows_and_saves_nothing(ppu, tmp_path, bad, reason):
    rows = [["code", "name", "type"], ["64.09.01.1001", "Tanjung Tengah Baru", "kelurahan"], bad]
    report = io.StringIO()
    with pytest.raises(CommandError, match="Tidak ada yang disimpan"):
        call_command("import_regions", write(tmp_path, rows, "wilayah.csv"), stdout=report)
    assert reason in report.getvalue()
    assert Village.objects.get(code="64.09.01.1001").name == "Tanjung Tengah"
    assert Village.objects.count() == 54


@pytest.mark.django_db
def test_import_regions_refuses_coordinates_outside_indonesia(ppu, tmp_path):
    rows = [
        ["code", "name", "centroid_lat", "centroid_lng"],
        ["64.09.01", "Penajam", "116.6", "-1.2"],
    ]
    with pytest.raises(CommandError):
        run("import_regions", write(tmp_path, rows, "wilayah.csv"))
    assert District.objects.get(code="64.09.01").latitude is not None


def test_import_schools_reports_every_row_in_indonesian(ppu, tmp_path):
    path = write(tmp_path, [DAPODIK_HEADER, GOOD, ["30401954", *GOOD[1:]]])

    output = run("import_schools", path)

    assert "Baris 2: Baru · 30401950 SD NEGERI 001 BABULU" in output
    assert "Baris 3: Baru · 30401954" in output
    assert "Baru: 2, diperbarui: 0, tidak berubah: 0, bermasalah: 0." in output
    assert School.objects.get(npsn="30401950").source == "Impor sekolah.csv"


def test_import_schools_is_atomic_and_fails_on_an_invalid_row(ppu, tmp_path):
    path = write(tmp_path, [DAPODIK_HEADER, GOOD, BAD])
    out = io.StringIO()
    with pytest.raises(CommandError, match="--skip-invalid"):
        call_command("import_schools", path, stdout=out)
    assert "Baris 3: Bermasalah · 123 SD Salah · NPSN '123' tidak tepat 8 angka." in out.getvalue()
    assert School.objects.count() == 0


def test_import_schools_skip_invalid_imports_the_rest(ppu, tmp_path):
    output = run("import_schools", write(tmp_path, [DAPODIK_HEADER, GOOD, BAD]), "--skip-invalid")
    assert "bermasalah: 1." in output
    assert list(School.objects.values_list("npsn", flat=True)) == ["30401950"]


def test_import_schools_dry_run_writes_nothing(ppu, tmp_path):
    SchoolFactory(npsn="30401950", name="Nama Lama", district=District.objects.get(name="Babulu"))
    output = run("import_schools", write(tmp_path, [DAPODIK_HEADER, GOOD]), "--dry-run")
    assert "Baris 2: Diperbarui" in output
    assert "Uji coba: tidak ada yang disimpan." in output
    assert School.objects.get().name == "Nama Lama"


def test_import_schools_explains_an_unreadable_or_missing_file(ppu, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("NPSN;Nama Sekolah\n30401950;SD Négeri\n".encode("cp1252"))
    with pytest.raises(CommandError, match="Windows-1252"):
        run("import_schools", str(path))
    with pytest.raises(CommandError, match="Tidak dapat membuka"):
        run("import_schools", str(tmp_path / "tidak-ada.csv"))
    assert School.objects.count() == 0
