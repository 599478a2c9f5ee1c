"""Files that cannot be imported at all: a clear message, and nothing changes."""

import io
import zipfile

import pytest

from schools import importing
from schools.importing import ImportFileError
from schools.models import School
from schools.services import region_import, school_import
from tests.schools.factories import DAPODIK_HEADER, SchoolFactory, csv_file, xlsx_file

pytestmark = pytest.mark.usefixtures("ppu", "indonesian")

ROW = ["30401950", "SD NEGERI 001 BABULU", "SD", "Negeri", "", "", "Babulu", "", ""]


@pytest.fixture
def existing():
    return SchoolFactory(npsn="11111111", name="Tetap")


def named(data: bytes, name: str) -> io.BytesIO:
    file = io.BytesIO(data)
    file.name = name
    return file


def zip_of(**members) -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return data.getvalue()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
PDF = (
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 5 /Filter /FlateDecode >>\n"
    b"stream\nx\x9c\x03\x00\x01\nendstream"
)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "kosong.csv", "Berkas kosong."),
        (b"\r\n  \n", "kosong.csv", "Berkas kosong."),
        (b"NPSN,Nama Sekolah\r\n", "judul.csv", "tanpa data sekolah"),
        (b"Nama,Alamat\nSD 1,Jl. A\n", "tanpa-npsn.csv", "Kolom 'NPSN' tidak ditemukan"),
        (PNG, "gambar.csv", "bukan berkas CSV maupun Excel"),
        (PDF, "dokumen.xlsx", "bukan berkas CSV maupun Excel"),
        (zip_of(**{"word/document.xml": "<w/>"}), "surat.xlsx", "bukan berkas CSV maupun Excel"),
        (b"PK\x03\x04 not really a zip", "rusak.xlsx", "bukan berkas CSV maupun Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "lama.xls", "Excel lama (.xls)"),
        ("NPSN,Nama\n1,SD".encode("utf-16"), "unicode.csv", "UTF-16"),
        ("NPSN;Nama Sekolah\n30401950;SD Santa María\n".encode("cp1252"), "excel.csv",
         "Windows-1252"),
    ],
    ids=["empty", "blank", "header-only", "no-npsn-column", "png-named-csv", "pdf-named-xlsx",
         "docx-named-xlsx", "broken-zip", "legacy-xls", "utf-16", "windows-1252"],
)  # fmt: skip
def test_unreadable_files_are_refused_with_a_reason_and_change_nothing(
    existing, data, name, message
):
    with pytest.raises(ImportFileError) as refused:
        school_import(file=named(data, name))
    assert message in str(refused.value)
    assert list(School.objects.values_list("npsn", "name")) == [("11111111", "Tetap")]


def test_a_windows_1252_file_is_never_decoded_by_guesswork():
    data = "NPSN,Nama Sekolah,Alamat\n30401950,SD Négeri,Jl. Café\n".encode("cp1252")
    with pytest.raises(ImportFileError, match="Windows-1252"):
        school_import(file=named(data, "sekolah.csv"))


def test_the_same_file_saved_as_utf_8_is_read(existing):
    rows = [DAPODIK_HEADER, [*ROW[:1], "SD Négeri Café", *ROW[2:]]]
    report = school_import(file=csv_file(rows))
    assert report.written
    assert School.objects.get(npsn="30401950").name == "SD Négeri Café"


def test_a_file_over_10_mb_is_refused_before_it_is_parsed(existing):
    header = ",".join(DAPODIK_HEADER).encode() + b"\n"
    line = ",".join(ROW).encode() + b"\n"
    data = header + line * (importing.MAX_FILE_SIZE // len(line) + 1)
    assert len(data) > 10 * 1024 * 1024
    with pytest.raises(ImportFileError, match="lebih besar dari 10 MB"):
        school_import(file=named(data, "besar.csv"))
    assert School.objects.count() == 1


def test_a_file_with_too_many_rows_is_refused(existing, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    rows = [DAPODIK_HEADER, *([f"3040195{n}", *ROW[1:]] for n in range(5))]
    with pytest.raises(ImportFileError, match="lebih dari 3 baris"):
        school_import(file=csv_file(rows))
    assert School.objects.count() == 1


def test_a_csv_with_an_unclosed_quote_is_refused(existing):
    data = b'NPSN,Nama Sekolah\n30401950,"SD Rusak\n' + b"baris lain\n" * 20_000
    with pytest.raises(ImportFileError, match="Berkas CSV rusak"):
        school_import(file=named(data, "rusak.csv"))


def test_an_xlsx_with_no_npsn_header_is_refused(existing):
    with pytest.raises(ImportFileError, match="Kolom 'NPSN' tidak ditemukan"):
        school_import(file=xlsx_file([["Daftar"], ["Nama", "Alamat"], ["SD 1", "Jl"]]))


def test_region_files_get_the_same_checks():
    with pytest.raises(ImportFileError, match="Windows-1252"):
        region_import(file=named("kode,nama\n64.09.01,Penajám\n".encode("cp1252"), "r.csv"))
    with pytest.raises(ImportFileError, match="Kolom 'Kode Kemendagri' tidak ditemukan"):
        region_import(file=named(b"nama\nPenajam\n", "r.csv"))
