"""The geometry of an answer sheet, in millimetres from the page's top-left corner: the
one description that both draws a sheet (drawing.py) and reads it (reading.py).

One sheet per A4 page, portrait. Two sheets on a page would halve every bubble: a
child of 9 filling a 4 mm circle with a pencil overflows into the next one, and the
reader then has to flag the sheet. At one sheet a page the bubbles are 8 mm across,
13 mm apart, for up to 30 questions of up to 5 options.

The four corner markers are ArUco markers 0 (top left), 1 (top right), 2 (bottom
right) and 3 (bottom left): their ids tell the reader which way up the page lies.
"""

from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _

PAGE_WIDTH = 210.0
PAGE_HEIGHT = 297.0
MARKER_SIZE = 18.0
MARKER_MARGIN = 8.0
BUBBLE_DIAMETER = 8.0
OPTION_PITCH = 13.0
ROW_PITCH = 11.0
ROWS_PER_COLUMN = 15
COLUMNS = 2
MAX_QUESTIONS = ROWS_PER_COLUMN * COLUMNS
OPTION_LETTERS = "ABCDE"
GRADES = [str(grade) for grade in range(1, 13)]
PARALLELS = list("ABCDEFGH")
GENDERS = [("l", "L"), ("p", "P")]  # Gender values, and the letter in the bubble
QR_PREFIX = "SA1"


class LayoutError(ValueError):
    """The quiz does not fit on a sheet (too many questions or options)."""


@dataclass(frozen=True)
class Marker:
    id: int
    x: float
    y: float
    size: float = MARKER_SIZE

    @property
    def corners(self) -> list[tuple[float, float]]:
        """Clockwise from the top left, as OpenCV reports a marker's corners."""
        x, y, s = self.x, self.y, self.size
        return [(x, y), (x + s, y), (x + s, y + s), (x, y + s)]


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Bubble:
    """A circle to fill: `group` is "answer", "grade", "parallel" or "gender"; an answer
    bubble stands for option `value` (A, B...) of question `question` (1, 2...)."""

    group: str
    value: str
    label: str
    x: float  # centre
    y: float
    diameter: float = BUBBLE_DIAMETER
    question: int | None = None


@dataclass(frozen=True)
class Row:
    """A question's row, the area a reviewer sees cropped beside the choices."""

    question: int
    box: Box
    label_x: float


@dataclass(frozen=True)
class SheetLayout:
    page_width: float
    page_height: float
    markers: list[Marker]
    qr: Box
    name_box: Box
    header: Box
    bubbles: list[Bubble]
    rows: list[Row] = field(default_factory=list)
    grade_row: Box = Box(0, 0, 0, 0)
    parallel_row: Box = Box(0, 0, 0, 0)

    def group(self, name: str) -> list[Bubble]:
        return [bubble for bubble in self.bubbles if bubble.group == name]

    def question_bubbles(self, question: int) -> list[Bubble]:
        return [bubble for bubble in self.bubbles if bubble.question == question]

    def as_dict(self) -> dict:
        """The JSON of `manage.py answer_sheet_layout`: one sheet per page."""
        sheet = asdict(self)
        page = {"width": sheet.pop("page_width"), "height": sheet.pop("page_height")}
        return {"unit": "mm", "page": page, "sheets_per_page": 1, "sheets": [sheet]}


@dataclass(frozen=True)
class SheetSpec:
    """What the reader needs of a session: its layout, the questions where several
    options may be filled, and the version of its quiz (printed in the QR code: a sheet
    printed before the quiz changed cannot be read against it)."""

    layout: SheetLayout
    multiple: frozenset[int] = frozenset()
    version: str = ""


def sheet_layout(option_counts: list[int]) -> SheetLayout:
    """The layout for a quiz whose questions have `option_counts` options, in order."""
    if not option_counts:
        raise LayoutError(_("This quiz has no questions yet."))
    if len(option_counts) > MAX_QUESTIONS:
        raise LayoutError(
            _("An answer sheet holds at most %(max)d questions; this quiz has %(count)d.")
            % {"max": MAX_QUESTIONS, "count": len(option_counts)}
        )
    if max(option_counts) > len(OPTION_LETTERS):
        raise LayoutError(
            _("An answer sheet holds at most %(max)d options per question.")
            % {"max": len(OPTION_LETTERS)}
        )
    far = PAGE_WIDTH - MARKER_MARGIN - MARKER_SIZE
    low = PAGE_HEIGHT - MARKER_MARGIN - MARKER_SIZE
    markers = [
        Marker(0, MARKER_MARGIN, MARKER_MARGIN),
        Marker(1, far, MARKER_MARGIN),
        Marker(2, far, low),
        Marker(3, MARKER_MARGIN, low),
    ]
    bubbles = [
        Bubble("grade", grade, grade, 36 + index * 12, 64) for index, grade in enumerate(GRADES)
    ]
    bubbles += [
        Bubble("parallel", letter, letter, 36 + index * 12, 77)
        for index, letter in enumerate(PARALLELS)
    ]
    bubbles += [
        Bubble("gender", value, letter, 168 + index * 12, 77)
        for index, (value, letter) in enumerate(GENDERS)
    ]
    rows = []
    for index, count in enumerate(option_counts):
        number = index + 1
        column, line = divmod(index, ROWS_PER_COLUMN)
        left = 12 + column * 98
        y = 98 + line * ROW_PITCH
        rows.append(Row(number, Box(left, y - ROW_PITCH / 2, 92, ROW_PITCH), left + 2))
        bubbles += [
            Bubble("answer", letter, letter, left + 22 + option * OPTION_PITCH, y, question=number)
            for option, letter in enumerate(OPTION_LETTERS[:count])
        ]
    return SheetLayout(
        page_width=PAGE_WIDTH,
        page_height=PAGE_HEIGHT,
        markers=markers,
        qr=Box(170, 29, 28, 28),
        name_box=Box(12, 33, 150, 20),
        header=Box(30, 9, 150, 18),
        bubbles=bubbles,
        rows=rows,
        grade_row=Box(12, 58, 160, 12),
        parallel_row=Box(12, 71, 186, 12),
    )


def qr_text(code: str, number: int, version: str) -> str:
    """What a sheet's QR code holds: its session, its number, and the version of the
    quiz it was printed for (see records.quiz_version)."""
    return f"{QR_PREFIX}:{code}:{number}:{version}"


def qr_parse(text: str) -> tuple[str, int, str] | None:
    """(session code, sheet number, quiz version) from a sheet's QR code, or None for
    any other code."""
    parts = text.strip().split(":")
    if len(parts) != 4 or parts[0] != QR_PREFIX or not parts[2].isdigit():
        return None
    return parts[1].upper(), int(parts[2]), parts[3].upper()
