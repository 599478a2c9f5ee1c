"""Parsing the registry's import files, CSV or XLSX (read into rows by sheets.py), as
staff get them (Dapodik and school-reference exports) or as our own export writes them.

This module only reads and parses; schools/services.py decides what gets written.
Every problem is reported in the active language (Indonesian for staff), with the row
number a spreadsheet shows.
"""

import functools
import re
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

from cms.spreadsheets import FORMULA_STARTS
from schools.models import (
    LATITUDE_RANGE,
    LONGITUDE_RANGE,
    Ministry,
    SchoolLevel,
    SchoolStatus,
    TPPKStatus,
)
from schools.sheets import HEADER_SEARCH_ROWS, MAX_ROWS, ImportFileError, read_rows

# What cms.spreadsheets puts before text a spreadsheet would take for a formula.
FORMULA_ESCAPES = {"'" + start for start in FORMULA_STARTS}


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
                        "your district and upload it again."
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
    try:
        return number.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than a decimal holds: 1e400, or 30 of them
        raise ValueError(
            _("%(label)s '%(value)s' is far too large.") % {"label": label, "value": text}
        ) from None


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
