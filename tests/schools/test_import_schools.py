"""The school import, row by row: matching, upserting by NPSN, and every bad row."""

from decimal import Decimal

import pytest

from schools.models import Ministry, School, SchoolLevel, SchoolStatus, TPPKStatus
from schools.services import school_import
from tests.schools.factories import DAPODIK_HEADER, SchoolFactory, csv_file, xlsx_file

pytestmark = pytest.mark.usefixtures("ppu", "indonesian")


def dapodik(*rows, header=DAPODIK_HEADER, **options):
    return csv_file([header, *rows], **options)


def row(npsn="30401950", name="SD NEGERI 001 BABULU", form="SD", status="Negeri",
        address="Jl. Negara Km. 48", village="Babulu Darat", district="Babulu",
        lat="-1.5051", lng="116.4539"):  # fmt: skip
    return [npsn, name, form, status, address, village, district, lat, lng]


def statuses(report):
    return [(r.number, r.status) for r in report.rows]


def test_creates_schools_from_a_dapodik_export(babulu):
    report = school_import(file=dapodik(row(), row(npsn="30401954", name="SD 002", village="")))

    assert report.written
    assert statuses(report) == [(2, "created"), (3, "created")]
    school = School.objects.get(npsn="30401950")
    assert school.name == "SD NEGERI 001 BABULU"
    assert school.level == SchoolLevel.SD and school.education_form == "SD"
    assert school.status == SchoolStatus.NEGERI
    assert school.ministry == Ministry.KEMENDIKDASMEN
    assert school.district == babulu
    assert school.village.name == "Babulu Darat"
    assert (school.latitude, school.longitude) == (Decimal("-1.505100"), Decimal("116.453900"))
    assert School.objects.get(npsn="30401954").village is None


def test_reimporting_the_same_file_changes_nothing():
    school_import(file=dapodik(row()))
    before = School.objects.get().updated_at

    report = school_import(file=dapodik(row()))

    assert statuses(report) == [(2, "unchanged")]
    assert School.objects.get().updated_at == before


def test_updates_by_npsn_and_says_what_changed():
    school_import(file=dapodik(row()))

    report = school_import(file=dapodik(row(address="Jl. Baru", lat="-1.5", lng="116.45")))

    assert statuses(report) == [(2, "updated")]
    assert "alamat" in report.rows[0].messages[0]
    school = School.objects.get()
    assert school.address == "Jl. Baru"
    assert school.latitude == Decimal("-1.5")
    assert School.objects.count() == 1


def test_columns_missing_from_the_file_are_left_alone():
    school = SchoolFactory(
        npsn="30401950",
        tppk_status=TPPKStatus.YES,
        tppk_contact="Bu Sari",
        headteacher="Pak Budi",
        source="dientri manual",
    )
    header = ["NPSN", "Nama Sekolah", "Kecamatan"]

    report = school_import(file=dapodik(["30401950", "SD Baru", "Babulu"], header=header))

    assert statuses(report) == [(2, "updated")]
    school.refresh_from_db()
    assert school.name == "SD Baru" and school.district.name == "Babulu"
    assert school.tppk_status == TPPKStatus.YES
    assert (school.tppk_contact, school.headteacher) == ("Bu Sari", "Pak Budi")


def test_a_file_without_names_still_reports_them():
    SchoolFactory(npsn="30401950", name="SD Lama")
    header = ["NPSN", "Kecamatan"]
    report = school_import(file=dapodik(["30401950", "Babulu"], header=header))
    assert (report.rows[0].status, report.rows[0].name) == ("updated", "SD Lama")


def test_records_where_written_rows_came_from():
    school_import(file=dapodik(row()), source="Impor dapodik.xlsx")
    assert School.objects.get().source == "Impor dapodik.xlsx"


@pytest.mark.parametrize(
    "header",
    [
        DAPODIK_HEADER,
        ["npsn", "NAMA SATUAN PENDIDIKAN", "bentuk  pendidikan", "Status_Sekolah", "alamat",
         "Kelurahan/Desa", "KECAMATAN", "lintang", "BUJUR"],
        ["NPSN", "Nama", "Jenjang", "Status", "Alamat Jalan", "Desa", "Kec.", "Latitude",
         "Longitude"],
    ],
    ids=["dapodik", "school-reference", "other-spellings"],
)  # fmt: skip
def test_recognises_headers_whatever_their_case_and_spacing(header):
    report = school_import(file=dapodik(row(), header=header))
    assert statuses(report) == [(2, "created")]
    assert School.objects.get().village.name == "Babulu Darat"


def test_reads_semicolons_a_bom_and_decimal_commas():
    file = dapodik(row(lat="-1,5051", lng="116,4539"), delimiter=";", encoding="utf-8-sig")
    report = school_import(file=file)
    assert statuses(report) == [(2, "created")]
    assert School.objects.get().latitude == Decimal("-1.505100")


def test_reads_xlsx_with_a_title_block_and_numbers_as_numbers():
    rows = [
        ["Daftar Satuan Pendidikan"],
        ["Kabupaten Penajam Paser Utara"],
        [],
        DAPODIK_HEADER,
        [30401950, "SD NEGERI 001", "SD", "N", "", "Babulu Darat", "Babulu", -1.5051, 116.4539],
        [],
        [30401954, "SD NEGERI 002 BABULU", "SD", "S", "", "", "Babulu", None, None],
    ]  # fmt: skip
    report = school_import(file=xlsx_file(rows))
    assert statuses(report) == [(5, "created"), (7, "created")]
    assert School.objects.get(npsn="30401954").status == SchoolStatus.SWASTA


@pytest.mark.parametrize(
    ("village", "district"),
    [
        ("Desa Babulu Darat", "Kec. Babulu"),
        ("babulu   DARAT", "kecamatan babulu"),
        ("Ds. Babulu Darat", "64.09.03"),
    ],
)
def test_matches_the_village_by_name_within_the_kecamatan(village, district):
    school_import(file=dapodik(row(village=village, district=district)))
    assert School.objects.get().village.code == "64.09.03.2001"


@pytest.mark.parametrize("village", ["Kel. Nipah Nipah", "Kelurahan NIPAH-NIPAH", "Nipah-nipah"])
def test_ignores_kelurahan_prefixes_and_punctuation(village):
    school_import(file=dapodik(row(village=village, district="Penajam")))
    assert School.objects.get().village.name == "Nipah-Nipah"


def test_matches_the_village_by_code_with_or_without_dots_and_infers_the_kecamatan():
    header = ["NPSN", "Nama Sekolah", "Bentuk Pendidikan", "Status Sekolah", "Kode Desa"]
    report = school_import(
        file=dapodik(
            ["30401950", "SD A", "SD", "Negeri", "64.09.03.2001"],
            ["30401954", "SD B", "SD", "Negeri", "6409011011"],
            header=header,
        )
    )
    assert statuses(report) == [(2, "created"), (3, "created")]
    assert School.objects.get(npsn="30401950").district.name == "Babulu"
    assert School.objects.get(npsn="30401954").village.name == "Penajam"


def test_madrasahs_belong_to_kemenag():
    school_import(file=dapodik(row(form="MTs", name="MTs Al Ikhlas")))
    school = School.objects.get()
    assert (school.level, school.ministry) == (SchoolLevel.MTS, Ministry.KEMENAG)


def test_reads_every_optional_column():
    header = [*DAPODIK_HEADER, "Kepala Sekolah", "Telepon", "Email", "Siswa Laki-laki",
              "Siswa Perempuan", "Aktif", "TPPK", "Tanggal SK TPPK", "Kontak TPPK"]  # fmt: skip
    values = [*row(), "Budi", "0542 123", "sdn1@example.id", "120", "115", "Ya", "Sudah",
              "15/07/2024", "Bu Sari 0812"]  # fmt: skip
    report = school_import(file=dapodik(values, header=header))
    assert statuses(report) == [(2, "created")]
    school = School.objects.get()
    assert school.student_count == 235
    assert school.tppk_status == TPPKStatus.YES
    assert str(school.tppk_decree_date) == "2024-07-15"
    assert (school.headteacher, school.email, school.is_active) == ("Budi", "sdn1@example.id", True)


@pytest.mark.parametrize("count", ["²", "①", "12a"])
def test_a_count_that_is_not_plain_digits_is_reported(count):
    header = [*DAPODIK_HEADER, "Siswa Laki-laki"]
    report = school_import(file=dapodik([*row(), count], header=header))
    assert not report.written
    assert f"Siswa laki-laki '{count}' bukan bilangan bulat." in report.rows[0].messages


def test_dapodik_zero_coordinates_mean_none():
    school_import(file=dapodik(row(lat="0", lng="0")))
    assert School.objects.get().latitude is None


# Bad rows: a clear reason with the row number, and nothing written.


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (row(npsn="3040195"), "NPSN '3040195' tidak tepat 8 angka"),
        (row(npsn="3040195A"), "NPSN '3040195A' tidak tepat 8 angka"),
        (row(npsn="３０４０１９５０"), "tidak tepat 8 angka"),  # full-width digits
        (row(npsn=""), "NPSN kosong"),
        (row(district="Balikpapan Kota"), "Kecamatan 'Balikpapan Kota' tidak dikenal"),
        (row(village="Desa Entah"), "Desa/kelurahan 'Desa Entah' tidak dikenal"),
        (row(district=""), "kecamatannya"),
        (row(lat="1.5", lng="16.45"), "di luar Indonesia"),
        (row(lat="116.4539", lng="-1.5051"), "tertukar"),
        (row(lat="-1.5", lng=""), "lintang dan bujur"),
        (row(lat="abc"), "bukan angka"),
        (row(lat="1e400", lng="116.6"), "Lintang '1e400' terlalu besar"),
        (row(lat="1" * 30, lng="116.6"), "terlalu besar"),
        (row(form="Universitas"), "Jenjang atau bentuk pendidikan 'Universitas' tidak dikenal"),
        (row(status="Campuran"), "Status sekolah 'Campuran' tidak dikenal"),
        (row(name=""), "Nama sekolah kosong"),
        (row(name="X" * 201), "Nama"),
    ],
)  # fmt: skip
def test_each_bad_row_is_reported_and_nothing_is_written(bad, reason):
    existing = SchoolFactory(npsn="11111111", name="Tetap")

    report = school_import(file=dapodik(row(npsn="22222222"), bad))

    assert not report.written
    assert statuses(report)[1] == (3, "error")
    assert reason in " ".join(report.rows[1].messages)
    assert list(School.objects.values_list("npsn", "name")) == [(existing.npsn, "Tetap")]


def test_a_village_in_another_kecamatan_is_refused():
    header = [*DAPODIK_HEADER, "Kode Desa/Kelurahan"]
    report = school_import(file=dapodik([*row(district="Penajam"), "64.09.03.2001"], header=header))
    assert report.rows[0].status == "error"
    assert "tidak berada di Kecamatan Penajam" in report.rows[0].messages[0]


def test_an_unknown_village_code_is_refused():
    header = ["NPSN", "Nama Sekolah", "Bentuk Pendidikan", "Status Sekolah", "Kode Desa"]
    report = school_import(
        file=dapodik(["30401950", "SD A", "SD", "Negeri", "64.09.09.9999"], header=header)
    )
    assert "Kode desa/kelurahan '64.09.09.9999' tidak dikenal" in report.rows[0].messages[0]


def test_a_village_in_the_wrong_kecamatan_by_name_is_refused():
    report = school_import(file=dapodik(row(village="Nipah-Nipah", district="Babulu")))
    assert report.rows[0].status == "error"
    assert School.objects.count() == 0


def test_duplicate_npsn_in_the_file_flags_every_copy():
    report = school_import(file=dapodik(row(), row(npsn="30401954"), row(name="Salinan")))
    assert statuses(report) == [(2, "error"), (3, "created"), (4, "error")]
    assert "muncul lebih dari sekali" in report.rows[0].messages[0]
    assert "2, 4" in report.rows[2].messages[0]
    assert not report.written and School.objects.count() == 0


def test_an_update_that_breaks_the_model_rules_is_refused():
    SchoolFactory(npsn="30401950", email="lama@example.id")
    header = ["NPSN", "Email"]
    report = school_import(file=dapodik(["30401950", "bukan-email"], header=header))
    assert report.rows[0].status == "error"
    assert School.objects.get().email == "lama@example.id"


def test_skip_invalid_writes_the_valid_rows():
    report = school_import(file=dapodik(row(), row(npsn="123")), skip_invalid=True)
    assert report.written
    assert statuses(report) == [(2, "created"), (3, "error")]
    assert list(School.objects.values_list("npsn", flat=True)) == ["30401950"]


def test_dry_run_reports_and_writes_nothing():
    SchoolFactory(npsn="30401954", name="Lama")
    report = school_import(
        file=dapodik(row(), row(npsn="30401954", district="Penajam", village="")), dry_run=True
    )
    assert not report.written
    assert statuses(report) == [(2, "created"), (3, "updated")]
    assert list(School.objects.values_list("npsn", "name")) == [("30401954", "Lama")]


def test_spreadsheet_formula_escapes_are_taken_off():
    school_import(file=dapodik(row(address="'=Jalan", name="'+SD Plus")))
    school = School.objects.get()
    assert (school.name, school.address) == ("+SD Plus", "=Jalan")
