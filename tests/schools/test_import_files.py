"""Files that cannot be imported at all: a clear message, and nothing changes."""

import io
import zipfile

import pytest

from schools import importing, sheets
from schools.models import School
from schools.regions import region_import
from schools.services import school_import
from schools.sheets import ImportFileError
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
    with zipfile.ZipFile(data, "w", compression=zipfile.ZIP_DEFLATED) as archive:
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
    data = header + line * (sheets.MAX_FILE_SIZE // len(line) + 1)
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


@pytest.mark.parametrize("row", [1, 30])  # among the rows read for the delimiter, or after
def test_a_csv_with_a_huge_cell_is_refused_in_indonesian(existing, row):
    rows = [DAPODIK_HEADER, *([f"3040196{n}", *ROW[1:]] for n in range(row))]
    rows[-1][1] = "SD " + "A" * 200_000
    with pytest.raises(ImportFileError) as refused:
        school_import(file=csv_file(rows))
    assert str(refused.value).startswith("Berkas CSV rusak: ada tanda petik yang tidak ditutup")
    assert "field" not in str(refused.value)
    assert School.objects.count() == 1


def test_an_xlsx_with_no_npsn_header_is_refused(existing):
    with pytest.raises(ImportFileError, match="Kolom 'NPSN' tidak ditemukan"):
        school_import(file=xlsx_file([["Daftar"], ["Nama", "Alamat"], ["SD 1", "Jl"]]))


def test_region_files_get_the_same_checks():
    with pytest.raises(ImportFileError, match="Windows-1252"):
        region_import(file=named("kode,nama\n64.09.01,Penajám\n".encode("cp1252"), "r.csv"))
    with pytest.raises(ImportFileError, match="Kolom 'Kode Kemendagri' tidak ditemukan"):
        region_import(file=named(b"nama\nPenajam\n", "r.csv"))


def sheet_xml(dimension: str, *cells: str) -> str:
    row_cells = "".join(f'<c r="{cell}" t="inlineStr"><is><t>x</t></is></c>' for cell in cells)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData><row r="1">{row_cells}</row></sheetData>'
        "</worksheet>"
    )


def workbook_with(sheet: str) -> bytes:
    """A minimal XLSX whose only sheet is `sheet`, as a hostile file would be built."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    return zip_of(
        **{
            "[Content_Types].xml": (
                '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
                'openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
                'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/><Override '
                'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/'
                'worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
                'officedocument.spreadsheetml.worksheet+xml"/></Types>'
            ),
            "_rels/.rels": (
                f'<Relationships xmlns="{package}"><Relationship Id="rId1" Type="{rels}/'
                'officeDocument" Target="xl/workbook.xml"/></Relationships>'
            ),
            "xl/workbook.xml": (
                f'<workbook xmlns="{main}" xmlns:r="{rels}"><sheets><sheet name="Sheet1" '
                'sheetId="1" r:id="rId1"/></sheets></workbook>'
            ),
            "xl/_rels/workbook.xml.rels": (
                f'<Relationships xmlns="{package}"><Relationship Id="rId1" Type="{rels}/'
                'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
            ),
            "xl/worksheets/sheet1.xml": sheet,
        }
    )


@pytest.mark.parametrize(
    "sheet",
    [
        sheet_xml("A1:XFD1048576", "A1", "B1"),  # 1.5 KB asking for the whole sheet grid
        sheet_xml("A1:XFD2000", "A1", "XFD1"),  # a real cell in the last column
        sheet_xml("A1:B2", "A1", "CW1"),  # the dimension says little, a cell says more
        sheet_xml("A1", "A1").replace('<row r="1">', '<row r="900000">'),
        # Cells with no reference sit one after another: 20,000 of them in row 1 and one
        # in row 40,000 made the reader allocate 25 GB and abort the process.
        sheet_xml("A1", "A1")
        .replace('<row r="1">', '<row r="1">' + "<c><v>1</v></c>" * 20_000)
        .replace("</sheetData>", '<row r="40000"><c><v>1</v></c></row></sheetData>'),
    ],
    ids=["whole-grid", "last-column", "cell-beyond-dimension", "far-row", "unreferenced"],
)
def test_a_sheet_spanning_far_beyond_a_table_is_refused_before_it_is_read(existing, sheet):
    data = workbook_with(sheet)
    assert len(data) < 3000
    with pytest.raises(ImportFileError, match="jauh melampaui tabel sekolah"):
        school_import(file=named(data, "sekolah.xlsx"))
    assert School.objects.count() == 1


def test_an_xlsx_that_unpacks_too_large_is_refused_before_it_is_read(existing):
    bomb = sheet_xml("A1:B2", "A1") + " " * (sheets.MAX_UNPACKED_SIZE + 1)
    data = workbook_with(bomb)
    assert len(data) < 200_000
    with pytest.raises(ImportFileError, match="lebih dari 60 MB"):
        school_import(file=named(data, "bom.xlsx"))


def test_a_small_hand_built_sheet_is_still_read(existing):
    """The same minimal workbook within bounds passes the check and reaches the reader."""
    sheet = sheet_xml("A1:B2", "A1", "B1")
    with pytest.raises(ImportFileError, match="Kolom 'NPSN' tidak ditemukan"):
        school_import(file=named(workbook_with(sheet), "kecil.xlsx"))
