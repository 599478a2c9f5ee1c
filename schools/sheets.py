"""Reading a CSV or XLSX file into rows of text, whatever its name says: the first step
of every registry import. A file that cannot be read as a table, or that would take far
more memory to read than a table of schools needs, is refused with a message saying
why, before anything is parsed."""

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime

from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

MAX_FILE_SIZE = 10 * 1024 * 1024
MAX_ROWS = 50_000
# An XLSX is zipped XML, and its reader allocates every cell of the sheet's rectangle
# at once: a 1.5 KB file declaring the range A1:XFD1048576 asks for 512 GB. These bound
# what a sheet may unpack to and span before it is read (a Dapodik export has about 40
# columns).
MAX_UNPACKED_SIZE = 60 * 1024 * 1024
MAX_COLUMNS = 100
MAX_CELLS = 2_500_000
# Dapodik exports put a title block above the header row.
HEADER_SEARCH_ROWS = 10
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why."""


def read_rows(file) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells as text) for every row of a CSV or XLSX file, whatever its
    name says. Raises ImportFileError for a file that cannot be read as either."""
    data = file.read(MAX_FILE_SIZE + 1)
    if len(data) > MAX_FILE_SIZE:
        raise ImportFileError(_("The file is larger than 10 MB."))
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_rows(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _(
                "This is an old Excel file (.xls). Save it as an Excel workbook (.xlsx) "
                "or as 'CSV UTF-8' and upload it again."
            )
        )
    return _csv_rows(_decode(data))


def _decode(data: bytes) -> str:
    """UTF-8 with or without BOM. A Windows-1252 file (Excel's plain 'CSV' on Windows)
    is refused with a message rather than decoded by guesswork: a wrong guess would
    silently change names."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(
            _("This text file is in UTF-16. Save it as 'CSV UTF-8' and upload it again.")
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = None
        if text is not None and not CONTROL_CHARACTERS.search(text):
            raise ImportFileError(
                _(
                    "This CSV file is in the Windows-1252 encoding, not UTF-8, so letters "
                    "such as é would be read wrongly. In Excel choose File > Save As > "
                    "'CSV UTF-8 (Comma delimited)' and upload it again."
                )
            ) from None
        raise ImportFileError(_not_a_table()) from None
    if CONTROL_CHARACTERS.search(text):
        raise ImportFileError(_not_a_table())
    return text


def _not_a_table() -> str:
    return _("This file is neither a CSV nor an Excel (.xlsx) file.")


def _csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    # The csv module refuses a cell over csv.field_size_limit() (128 KB) and a quote left
    # open, in the first rows (read to find the delimiter) as anywhere else.
    try:
        lines = text.splitlines()[:HEADER_SEARCH_ROWS]
        delimiter = max(
            ",;",
            key=lambda d: max((len(row) for row in csv.reader(lines, delimiter=d)), default=0),
        )
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for number, row in enumerate(reader, start=1):
            yield number, [cell.strip() for cell in row]
    except csv.Error:
        raise ImportFileError(
            _(
                "The CSV file is damaged: a quotation mark is left open, or a cell holds more "
                "than %(max)d characters. Save it again from Excel as 'CSV UTF-8' and upload "
                "it again."
            )
            % {"max": csv.field_size_limit()}
        ) from None


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    # calamine (Rust) reads a sheet several times faster than openpyxl, which matters
    # for a whole Dapodik export; openpyxl still writes our exports.
    _check_xlsx_extent(data)
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    except (CalamineError, IndexError, ValueError):
        raise ImportFileError(_not_a_table()) from None
    # Rows come from the sheet's first row, so the numbers match the spreadsheet's.
    for number, row in enumerate(sheet.iter_rows(), start=1):
        yield number, [cell_text(value) for value in row]


# Every <dimension>, <row> and <c> (cell) tag of a sheet's XML, with or without a
# namespace prefix, and the reference it carries, if any: the dimension's ref="A1:D20",
# a row's r="20", a cell's r="D20".
SHEET_TAG = re.compile(
    rb"<(?:\w+:)?(dimension|row|c)(?=[\s/>])"
    rb'(?:[^>]*?\sr(?:ef)?="([A-Z]*)([0-9]*)(?::([A-Z]*)([0-9]*))?")?'
)
CHUNK = 1024 * 1024


def _check_xlsx_extent(data: bytes) -> None:
    """Refuse, before reading, a workbook that unpacks to more than MAX_UNPACKED_SIZE
    or whose sheets reach past MAX_COLUMNS columns, MAX_ROWS rows or MAX_CELLS cells.
    Sheets are scanned in chunks, so the check itself needs little memory."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise ImportFileError(_not_a_table()) from None
    if sum(member.file_size for member in members) > MAX_UNPACKED_SIZE:
        raise ImportFileError(
            _(
                "The Excel file unpacks to more than %(size)d MB, far more than a list of "
                "schools. Copy the table of schools into a new workbook and upload that."
            )
            % {"size": MAX_UNPACKED_SIZE // (1024 * 1024)}
        )
    last_row = last_column = 0
    unreferenced_rows = unreferenced_cells = 0
    for member in members:
        if not (member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")):
            continue
        try:
            with archive.open(member) as sheet:
                tail = b""
                while chunk := sheet.read(CHUNK):
                    # Tens of thousands of tags a chunk: one regex pass finds them, and
                    # only the few distinct column letters are turned into numbers.
                    tags = SHEET_TAG.findall(tail + chunk)
                    letters = {part for tag in tags for part in (tag[1], tag[3]) if part}
                    last_column = max([last_column, *map(_column_number, letters)])
                    rows = [int(part) for tag in tags for part in (tag[2], tag[4]) if part]
                    last_row = max([last_row, *rows])
                    # Tags in the overlap are seen twice: this can only overcount.
                    unreferenced_rows += sum(tag[0] == b"row" and not tag[2] for tag in tags)
                    unreferenced_cells += sum(tag[0] == b"c" and not tag[1] for tag in tags)
                    tail = chunk[-64:]  # a tag cut between two chunks
        except (zipfile.BadZipFile, OSError, EOFError):
            raise ImportFileError(_not_a_table()) from None
    # Rows and cells without a reference (counted, as a bound, as if all in one row or
    # column; spreadsheet programs always write r="") extend the sheet beyond its
    # references: two rows of them, 40,000 rows apart, once made the reader allocate
    # 25 GB.
    last_row += unreferenced_rows
    last_column += unreferenced_cells
    if (
        last_column > MAX_COLUMNS
        or last_row > MAX_ROWS + HEADER_SEARCH_ROWS
        or last_row * last_column > MAX_CELLS
    ):
        raise ImportFileError(
            _(
                "The sheet reaches row %(rows)s and column %(columns)s, far beyond a table "
                "of schools (at most %(max_columns)d columns and %(max_rows)s rows). Delete "
                "the empty rows and columns after the table, or copy the table into a new "
                "workbook, and upload it again."
            )
            % {
                "rows": f"{last_row:,}".replace(",", "."),
                "columns": f"{last_column:,}".replace(",", "."),
                "max_columns": MAX_COLUMNS,
                "max_rows": f"{MAX_ROWS:,}".replace(",", "."),
            }
        )


def _column_number(letters: bytes) -> int:
    """A1-style column letters as a number: A is 1, Z 26, AA 27, XFD 16,384."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def cell_text(value) -> str:
    """A spreadsheet cell as the text a person would type in it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()
