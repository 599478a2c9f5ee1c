"""Reading the registry's import files: CSV or XLSX, as staff get them (Dapodik and
school-reference exports) or as our own export writes them.

This module only reads and parses; schools/services.py decides what gets written.
Every problem is reported in the active language (Indonesian for staff), with the row
number a spreadsheet shows.
"""

import csv
import functools
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from python_calamine import CalamineError, CalamineWorkbook

from cms.spreadsheets import FORMULA_STARTS
from schools.models import (
    LATITUDE_RANGE,
    LONGITUDE_RANGE,
    Ministry,
    SchoolLevel,
    SchoolStatus,
    TPPKStatus,
)

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
# What cms.spreadsheets puts before text a spreadsheet would take for a formula.
FORMULA_ESCAPES = {"'" + start for start in FORMULA_STARTS}
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why."""


@dataclass(frozen=True)
class Column:
    """One column the importer understands. `heading` is what our own export writes
    (in either language); `aliases` are the headings of other exports."""

    field: str
    heading: str
    aliases: tuple[str, ...] = ()

    def names(self) -> set[str]:
        names = {normalise(self.field), *(normalise(alias) for alias in self.aliases)}
        for language in ("id", "en"):
            with translation.override(language):
                names.add(normalise(str(self.heading)))
        return names


def normalise(text: str) -> str:
    """Lower case, every run of spaces and punctuation turned into one space:
    'Desa/Kelurahan', 'desa  kelurahan' and 'DESA_KELURAHAN' all match."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(text).lower()).split())


# Reading files


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
    lines = text.splitlines()[:HEADER_SEARCH_ROWS]
    delimiter = max(
        ",;",
        key=lambda d: max((len(row) for row in csv.reader(lines, delimiter=d)), default=0),
    )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, row in enumerate(reader, start=1):
            yield number, [cell.strip() for cell in row]
    except csv.Error as error:
        raise ImportFileError(_("The CSV file is damaged: %(error)s") % {"error": error}) from None


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


# The cell references in a sheet's XML: its declared <dimension ref="A1:D20">, and the
# r="D20" of each row and cell (with or without a namespace prefix).
SHEET_REFERENCE = re.compile(
    rb'<(?:\w+:)?(?:dimension|row|c)\s[^>]*?\br(?:ef)?="([A-Z0-9:]{1,24})"'
)
REFERENCE_PART = re.compile(rb"([A-Z]*)([0-9]*)")
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
    for member in members:
        if not (member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")):
            continue
        try:
            with archive.open(member) as sheet:
                tail = b""
                while chunk := sheet.read(CHUNK):
                    text = tail + chunk
                    for reference in SHEET_REFERENCE.findall(text):
                        for letters, digits in REFERENCE_PART.findall(reference):
                            last_column = max(last_column, _column_number(letters))
                            last_row = max(last_row, int(digits or 0))
                    tail = text[-64:]  # a reference cut between two chunks
        except (zipfile.BadZipFile, OSError, EOFError):
            raise ImportFileError(_not_a_table()) from None
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


@dataclass
class Table:
    columns: dict[str, int]  # field -> index in the row
    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        """(row number, {field: text}) for every row with anything in it."""
        columns = list(self.columns.items())
        width = max(self.columns.values()) + 1
        for number, cells in self.rows:
            if number > MAX_ROWS:
                raise ImportFileError(
                    _(
                        "The file has more than %(count)s rows. Keep only the schools of "
                        "Penajam Paser Utara and upload it again."
                    )
                    % {"count": f"{MAX_ROWS:,}".replace(",", ".")}
                )
            if not any(cells):
                continue
            if len(cells) < width:
                cells = [*cells, *[""] * (width - len(cells))]
            yield number, {field: unescape(cells[index]) for field, index in columns}


def unescape(text: str) -> str:
    """Our export puts a ' before text that a spreadsheet would take for a formula;
    take it off again when the file comes back."""
    if text.startswith("'") and text[:2] in FORMULA_ESCAPES:
        return text[1:]
    return text


def read_table(file, columns: list[Column], *, key: str) -> Table:
    """The file's rows keyed by our field names. The header is the first row (among
    the first few) with the `key` column in it; unknown columns are ignored."""
    rows = read_rows(file)
    known = {name: column.field for column in columns for name in column.names()}
    for number, cells in rows:
        found = {}
        for index, cell in enumerate(cells):
            field = known.get(normalise(cell))
            if field and field not in found:
                found[field] = index
        if key in found:
            return Table(columns=found, headers=cells, rows=rows)
        if number >= HEADER_SEARCH_ROWS:
            break
    heading = next(column.heading for column in columns if column.field == key)
    raise ImportFileError(
        _("No '%(column)s' column found in the first %(rows)s rows of the file.")
        % {"column": capfirst(str(heading)), "rows": HEADER_SEARCH_ROWS}
    )


# Columns of a school file


SCHOOL_COLUMNS = [
    Column("npsn", "NPSN"),
    Column(
        "name",
        gettext_lazy("School name"),
        ("nama sekolah", "nama satuan pendidikan", "satuan pendidikan", "nama"),
    ),
    Column("level", gettext_lazy("School level"), ("jenjang", "jenjang pendidikan")),
    Column("education_form", gettext_lazy("Form of education"), ("bentuk pendidikan", "bentuk")),
    Column("status", gettext_lazy("School status"), ("status sekolah", "status")),
    Column(
        "ministry",
        gettext_lazy("Supervising ministry"),
        ("kementerian", "kementerian pembina", "naungan"),
    ),
    Column("address", gettext_lazy("School address"), ("alamat", "alamat jalan", "alamat sekolah")),
    Column("district", gettext_lazy("Kecamatan"), ("kecamatan", "kec")),
    Column(
        "village_code",
        gettext_lazy("Village code"),
        ("kode desa", "kode kelurahan", "kode desa kelurahan", "kode wilayah desa"),
    ),
    Column(
        "village",
        gettext_lazy("Desa/kelurahan"),
        ("desa kelurahan", "kelurahan desa", "desa", "kelurahan"),
    ),
    Column("latitude", gettext_lazy("Latitude"), ("lintang",)),
    Column("longitude", gettext_lazy("Longitude"), ("bujur",)),
    Column("headteacher", gettext_lazy("Headteacher"), ("kepala sekolah", "nama kepala sekolah")),
    Column(
        "phone",
        gettext_lazy("School phone number"),
        ("telepon", "nomor telepon", "no telepon", "telp"),
    ),
    Column("email", gettext_lazy("School email address"), ("e mail", "surel", "email sekolah")),
    Column(
        "students_male",
        gettext_lazy("Male students"),
        ("siswa laki laki", "peserta didik laki laki", "pd laki laki", "pd l"),
    ),
    Column(
        "students_female",
        gettext_lazy("Female students"),
        ("siswa perempuan", "peserta didik perempuan", "pd perempuan", "pd p"),
    ),
    Column("is_active", gettext_lazy("Active"), ("aktif", "status aktif")),
    Column("tppk_status", gettext_lazy("TPPK formed"), ("tppk", "status tppk", "tppk terbentuk")),
    Column("tppk_decree_date", gettext_lazy("TPPK decree date"), ("tanggal sk tppk",)),
    Column("tppk_contact", gettext_lazy("TPPK contact"), ("kontak tppk",)),
    Column("source", gettext_lazy("Data source"), ("sumber", "sumber data")),
]


# Values. Each parser takes the cell's text and returns the value to store, or raises
# ValueError with the message to show.

# "Bentuk pendidikan" as Dapodik writes it, and our own level codes and labels.
LEVELS = {
    **dict.fromkeys(("tk", "kb", "tpa", "sps", "ra", "paud", "paud tk"), SchoolLevel.PAUD),
    "sd": SchoolLevel.SD,
    "mi": SchoolLevel.MI,
    "smp": SchoolLevel.SMP,
    "mts": SchoolLevel.MTS,
    "sma": SchoolLevel.SMA,
    "ma": SchoolLevel.MA,
    "mak": SchoolLevel.MA,
    "smk": SchoolLevel.SMK,
    **dict.fromkeys(("slb", "sdlb", "smplb", "smalb"), SchoolLevel.SLB),
    **dict.fromkeys(("pkbm", "skb"), SchoolLevel.PKBM),
}
MADRASAH_FORMS = {"ra", "mi", "mts", "ma", "mak"}
MINISTRIES = {
    **dict.fromkeys(
        ("kemendikdasmen", "kemendikbud", "kemendikbudristek", "kemdikbud"), Ministry.KEMENDIKDASMEN
    ),
    **dict.fromkeys(("kemenag", "kementerian agama"), Ministry.KEMENAG),
}
TRUE_WORDS = {"ya", "y", "yes", "true", "1", "aktif", "active"}
FALSE_WORDS = {"tidak", "t", "no", "n", "false", "0", "tidak aktif", "nonaktif", "inactive"}
TPPK_WORDS = {
    **dict.fromkeys(("ya", "yes", "sudah", "terbentuk", "sudah terbentuk"), TPPKStatus.YES),
    **dict.fromkeys(("tidak", "no", "belum", "belum terbentuk"), TPPKStatus.NO),
    **dict.fromkeys(("", "tidak diketahui", "unknown"), TPPKStatus.UNKNOWN),
}
NPSN = re.compile(r"^[0-9]{8}$")


@functools.cache
def _labels(choices) -> dict[str, str]:
    """Our own export writes choices by their labels, in either language."""
    labels = {}
    for language in ("id", "en"):
        with translation.override(language):
            labels.update({normalise(label): value for value, label in choices.choices})
    return labels


def parse_npsn(text: str) -> str:
    if not text:
        raise ValueError(_("The NPSN is empty."))
    if not NPSN.match(text):
        raise ValueError(_("NPSN '%(npsn)s' is not exactly 8 digits.") % {"npsn": text})
    return text


def parse_level(text: str) -> str | None:
    key = normalise(text)
    return LEVELS.get(key) or _labels(SchoolLevel).get(key)


def ministry_for(education_form: str, level: str) -> str:
    if normalise(education_form) in MADRASAH_FORMS or level in (
        SchoolLevel.MI,
        SchoolLevel.MTS,
        SchoolLevel.MA,
    ):
        return Ministry.KEMENAG
    return Ministry.KEMENDIKDASMEN


def parse_ministry(text: str) -> str:
    key = normalise(text)
    if not key:
        return ""
    ministry = MINISTRIES.get(key) or _labels(Ministry).get(key)
    if not ministry:
        raise ValueError(_("Unknown ministry '%(value)s'.") % {"value": text})
    return ministry


def parse_status(text: str) -> str:
    words = set(normalise(text).split())
    if words & {"negeri", "n", "public"}:
        return SchoolStatus.NEGERI
    if words & {"swasta", "s", "private"}:
        return SchoolStatus.SWASTA
    if not text:
        raise ValueError(_("The school status (negeri/swasta) is empty."))
    raise ValueError(
        _("Unknown school status '%(value)s': use Negeri or Swasta.") % {"value": text}
    )


def parse_decimal(text: str, label: str) -> Decimal | None:
    if not text:
        return None
    try:
        number = Decimal(text.replace(",", ".") if "." not in text else text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValueError(
            _("%(label)s '%(value)s' is not a number.") % {"label": label, "value": text}
        )
    return number.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def parse_coordinates(latitude: str, longitude: str) -> tuple[Decimal | None, Decimal | None]:
    lat = parse_decimal(latitude, _("Latitude"))
    lng = parse_decimal(longitude, _("Longitude"))
    if lat == 0 and lng == 0:
        return None, None  # Dapodik's way of saying "no coordinates"
    if (lat is None) != (lng is None):
        raise ValueError(_("Give both latitude and longitude, or neither."))
    if lat is not None and not (
        LATITUDE_RANGE[0] <= lat <= LATITUDE_RANGE[1]
        and LONGITUDE_RANGE[0] <= lng <= LONGITUDE_RANGE[1]
    ):
        raise ValueError(
            _(
                "The coordinates %(lat)s, %(lng)s are outside Indonesia (latitude "
                "-11.5 to 6.5, longitude 94.5 to 141.5). Are latitude and longitude swapped?"
            )
            % {"lat": latitude, "lng": longitude}
        )
    return lat, lng


def parse_count(text: str, label: str) -> int | None:
    if not text:
        return None
    if not (text.isascii() and text.isdigit()):
        raise ValueError(
            _("%(label)s '%(value)s' is not a whole number.") % {"label": label, "value": text}
        )
    return int(text)


def parse_bool(text: str) -> bool:
    key = normalise(text)
    if not key or key in TRUE_WORDS:
        return True
    if key in FALSE_WORDS:
        return False
    raise ValueError(_("'%(value)s' is not yes or no.") % {"value": text})


def parse_tppk(text: str) -> str:
    key = normalise(text)
    status = TPPK_WORDS.get(key) or _labels(TPPKStatus).get(key)
    if status is None:
        raise ValueError(
            _("Unknown TPPK status '%(value)s': use Ya, Tidak or Tidak diketahui.")
            % {"value": text}
        )
    return status


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def parse_date(text: str) -> date | None:
    if not text:
        return None
    for date_format in DATE_FORMATS:
        try:
            return datetime.strptime(text, date_format).date()  # noqa: DTZ007 (a date only)
        except ValueError:
            continue
    raise ValueError(
        _("'%(value)s' is not a date: write it as 31/12/2024 or 2024-12-31.") % {"value": text}
    )


def parse_email(text: str) -> str:
    if text:
        try:
            validate_email(text)
        except ValidationError:
            raise ValueError(_("'%(value)s' is not an email address.") % {"value": text}) from None
    return text


def region_name_key(text: str, prefixes: tuple[str, ...]) -> str:
    """A region's name for matching: normalised, without prefixes such as 'Desa' or
    'Kel.' that some files put in front of it."""
    key = normalise(text)
    for prefix in prefixes:
        if key.startswith(prefix + " "):
            return key[len(prefix) + 1 :]
    return key


VILLAGE_PREFIXES = ("kelurahan", "kel", "desa", "ds")
DISTRICT_PREFIXES = ("kecamatan", "kec")


def code_key(text: str) -> str:
    """A Kemendagri code without its dots and spaces: '64.09.01.1001' -> '6409011001'."""
    return re.sub(r"[.\s]", "", text)


# The report


class RowStatus(models.TextChoices):
    CREATED = "created", gettext_lazy("New")
    UPDATED = "updated", gettext_lazy("Updated")
    UNCHANGED = "unchanged", gettext_lazy("Unchanged")
    ERROR = "error", gettext_lazy("Error")


@dataclass
class RowResult:
    """What happened (or, in a preview, would happen) to one row of the file."""

    number: int
    status: str = RowStatus.UNCHANGED
    key: str = ""  # NPSN or region code, as written
    name: str = ""
    place: str = ""  # kecamatan / desa, or the parent region
    messages: list[str] = field(default_factory=list)

    def fail(self, message: str) -> None:
        self.status = RowStatus.ERROR
        self.messages.append(message)


@dataclass
class ImportReport:
    rows: list[RowResult]
    written: bool = False

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(RowStatus.values, 0)
        for row in self.rows:
            counts[row.status] += 1
        return counts

    @property
    def has_errors(self) -> bool:
        return any(row.status == RowStatus.ERROR for row in self.rows)

    def as_dict(self, limit: int = 1000) -> dict:
        """For storing: every count, but only the first `limit` rows that are new,
        updated or in error (unchanged rows are only counted)."""
        shown = [asdict(row) for row in self.rows if row.status != RowStatus.UNCHANGED]
        return {
            "written": self.written,
            "counts": self.counts,
            "rows": shown[:limit],
            "rows_not_shown": max(0, len(shown) - limit),
        }
