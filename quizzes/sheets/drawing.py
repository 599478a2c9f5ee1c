"""Answer sheets and the question sheet as PDFs, drawn from the layout (layout.py) by
WeasyPrint: every element sits at its layout position in millimetres, so what is
printed is exactly what the reader looks for."""

import base64
import functools
import io

import cv2
from django.utils import translation
from pypdf import PdfWriter

from cms import qr
from cms.pdf import render_to_pdf
from quizzes.selectors import session_question_sheet
from quizzes.sheets.layout import BUBBLE_DIAMETER, SheetSpec, qr_text

# WeasyPrint holds every page's laid-out boxes until it writes the PDF: about 1 MB per
# sheet (a hundred bubbles each). Drawn this many at a time and joined, a print of any
# size stays within some 30 MB; the join costs little next to the layout.
SHEETS_PER_RENDER = 25

# The ArUco dictionary of the corner markers: 4x4 bits, the most robust to blur.
MARKER_DICTIONARY = cv2.aruco.DICT_4X4_50


@functools.cache
def marker_data_uri(marker_id: int) -> str:
    """The marker drawn by OpenCV, as a PNG for the PDF (6 cells of 40 pixels: sharp
    when scaled to 18 mm)."""
    dictionary = cv2.aruco.getPredefinedDictionary(MARKER_DICTIONARY)
    image = cv2.aruco.generateImageMarker(dictionary, marker_id, 240)
    ok, png = cv2.imencode(".png", image)
    return "data:image/png;base64," + base64.b64encode(png.tobytes()).decode()


def _place(x: float, y: float, width: float, height: float) -> str:
    """CSS for an element at a layout position (formatted here: a template would write
    Indonesian decimal commas)."""
    return f"left: {x:.2f}mm; top: {y:.2f}mm; width: {width:.2f}mm; height: {height:.2f}mm;"


def sheets_pdf(*, spec: SheetSpec, session, numbers: range) -> bytes:
    """One answer sheet per page, numbered `numbers`, for `session`."""
    layout = spec.layout
    markers = [
        {
            "src": marker_data_uri(marker.id),
            "style": _place(marker.x, marker.y, marker.size, marker.size),
        }
        for marker in layout.markers
    ]
    radius = BUBBLE_DIAMETER / 2
    bubbles = [
        {
            "label": bubble.label,
            "style": _place(bubble.x - radius, bubble.y - radius, bubble.diameter, bubble.diameter)
            + f" line-height: {bubble.diameter:.2f}mm;",
        }
        for bubble in layout.bubbles
    ]
    rows = [
        {"number": row.question, "style": _place(row.label_x, row.box.y + 3, 12, 6)}
        for row in layout.rows
    ]
    boxes = {
        name: _place(box.x, box.y, box.width, box.height)
        for name, box in (("qr", layout.qr), ("name", layout.name_box), ("header", layout.header))
    }
    context = {
        "markers": markers,
        "bubbles": bubbles,
        "rows": rows,
        "boxes": boxes,
        "session": session,
    }
    joined = PdfWriter()
    for start in range(0, len(numbers), SHEETS_PER_RENDER):
        sheets = [
            {"number": number, "qr": qr.png_data_uri(qr_text(session.code, number, spec.version))}
            for number in numbers[start : start + SHEETS_PER_RENDER]
        ]
        with translation.override("id"):
            pdf = render_to_pdf("quizzes/sheets/answer_sheets.html", {**context, "sheets": sheets})
        joined.append(io.BytesIO(pdf))
    out = io.BytesIO()
    joined.write(out)
    return out.getvalue()


def question_sheet_pdf(*, session) -> bytes:
    """The questions with their lettered options, for the facilitator to read aloud or
    project."""
    with translation.override("id"):
        return render_to_pdf(
            "quizzes/sheets/question_sheet.html", {"sheet": session_question_sheet(session)}
        )
