"""Reading a photo or scan of an answer sheet with OpenCV: find the four ArUco markers,
straighten the page onto the layout, read the QR code for the sheet's identity, and
measure how much of each bubble is filled.

It never guesses. Whatever is not plainly read (a bubble neither empty nor filled,
two bubbles where one is allowed, a question left blank, a page without its four
markers, a blurred or bent page, a QR code that does not read) becomes a flag; the
caller shows flagged sheets to staff and counts them only once confirmed.

This module knows nothing of Django: the bench runs it as is.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import cv2
import numpy as np
import zxingcpp

from quizzes.sheets.drawing import MARKER_DICTIONARY
from quizzes.sheets.layout import Box, Bubble, SheetSpec, qr_parse, sheet_layout

# The straightened page: 4 pixels per millimetre, an 8 mm bubble is 32 pixels across.
SCALE = 4.0
QR_SCALES = (8.0, 5.0)
# Photos are read at most this size: more pixels only cost time.
MAX_SIDE = 2000
# A pixel is "dark" below this share of the paper's local brightness: pencil is; the
# light grey letter printed inside a bubble (#c8c8c8) is not.
DARK = 0.68
# Share of a bubble's inner disc that is dark: at most EMPTY it is empty, at least
# FILLED it is filled; in between it is half filled, and flagged.
EMPTY = 0.12
FILLED = 0.65
# Mean darkness of an "empty" disc, beyond the page's usual empty bubble (its printed
# letter, the paper's grain), from which it holds a faint mark, too light to call.
FAINT = 0.12
# Only the inner part of a bubble is measured, clear of its printed outline even
# when the page is straightened a millimetre off.
INNER = 0.75
# The markers' 16 corners must land within this many millimetres of where the layout
# puts them: more means a bent or folded page, or markers misread.
MAX_REGISTRATION_ERROR = 1.2
# Mean darkness of the band around a bubble's printed outline below which the outline
# is not where the layout puts it (see read_page).
MIN_OUTLINE = 0.12
# Sharpness of the markers' edges (see _sharpness): below this the photo is too blurred
# to trust a bubble.
MIN_SHARPNESS = 0.2


@dataclass
class Flag:
    """Why a sheet needs a person: `kind` (see FLAG_KINDS in records.py), and the
    question or group concerned."""

    kind: str
    question: int | None = None
    detail: str = ""


@dataclass
class PageRead:
    code: str = ""
    number: int | None = None
    answers: dict[int, list[str]] = field(default_factory=dict)
    grade: str = ""
    parallel: str = ""
    gender: str = ""
    flags: list[Flag] = field(default_factory=list)
    fills: dict[str, float] = field(default_factory=dict)
    baseline: float = 0.0
    outline: float = 0.0
    # The page straightened at SCALE pixels per mm (grey), for the review screen.
    image: np.ndarray | None = None

    @property
    def identified(self) -> bool:
        return bool(self.code) and self.number is not None


# Markers, QR code and the class rows sit in the same place whatever the quiz.
HEADER_LAYOUT = sheet_layout([2])


def _detector() -> cv2.aruco.ArucoDetector:
    parameters = cv2.aruco.DetectorParameters()
    parameters.cornerRefinementMethod = cv2.aruco.CORNER_REFINE_SUBPIX
    dictionary = cv2.aruco.getPredefinedDictionary(MARKER_DICTIONARY)
    return cv2.aruco.ArucoDetector(dictionary, parameters)


DETECTOR = _detector()


def read_page(image: np.ndarray, spec_for: Callable[[str], SheetSpec | None]) -> PageRead:
    """Read one page (a BGR or grey image). `spec_for(code)` gives the session's sheet,
    or None for a code no session has (then the page is read no further)."""
    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    side = max(grey.shape)
    if side > MAX_SIDE:
        grey = cv2.resize(grey, None, fx=MAX_SIDE / side, fy=MAX_SIDE / side,
                          interpolation=cv2.INTER_AREA)  # fmt: skip
    read = PageRead()
    homography = _register(grey, read)
    if homography is None:
        return read
    width, height = (
        round(HEADER_LAYOUT.page_width * SCALE),
        round(HEADER_LAYOUT.page_height * SCALE),
    )
    page = cv2.warpPerspective(grey, homography, (width, height), flags=cv2.INTER_LINEAR,
                               borderValue=255)  # fmt: skip
    read.image = page
    if _sharpness(page) < MIN_SHARPNESS:
        read.flags.append(Flag("blurred"))
        return read
    identity = _qr(grey, homography)
    if identity is None:
        read.flags.append(Flag("qr"))
        return read
    read.code, read.number, version = identity
    spec = spec_for(read.code)
    if spec is None:
        read.flags.append(Flag("unknown_session"))
        return read
    if version != spec.version:
        read.flags.append(Flag("quiz_changed"))
        return read
    darkness = _darkness(page)
    layout = spec.layout
    # Every bubble's printed outline must be where the layout says: a page curled or
    # folded between the markers would otherwise be read a row off.
    read.outline = min(_outline_darkness(darkness, bubble) for bubble in layout.bubbles)
    if read.outline < MIN_OUTLINE:
        read.flags.append(Flag("bent", detail="outline"))
        return read
    # Most bubbles are empty: their median is what an empty one looks like here.
    read.baseline = float(
        np.median([_mean_darkness(darkness, bubble) for bubble in layout.bubbles])
    )
    read.grade = _choose(read, darkness, layout.group("grade"), "grade", required=True)
    read.parallel = _choose(read, darkness, layout.group("parallel"), "parallel")
    read.gender = _choose(read, darkness, layout.group("gender"), "gender")
    for row in layout.rows:
        bubbles = layout.question_bubbles(row.question)
        states = {bubble.value: _state(read, darkness, bubble) for bubble in bubbles}
        filled = [value for value, state in states.items() if state == "filled"]
        read.answers[row.question] = filled
        if "unsure" in states.values():
            read.flags.append(Flag("unsure", row.question))
        elif not filled:
            read.flags.append(Flag("blank", row.question))
        elif len(filled) > 1 and row.question not in spec.multiple:
            read.flags.append(Flag("several", row.question))
    return read


def _register(grey: np.ndarray, read: PageRead) -> np.ndarray | None:
    """The homography from the photo to the straightened page, from the four markers'
    corners; None (and a flag) unless all four are found, once each, where they fit."""
    corners, ids, _rejected = DETECTOR.detectMarkers(grey)
    found = {}
    for marker_corners, marker_id in zip(corners, ids.ravel() if ids is not None else [],
                                         strict=False):  # fmt: skip
        if marker_id in found or marker_id > 3:
            found[int(marker_id)] = None  # seen twice, or not ours: trust neither
        else:
            found[int(marker_id)] = marker_corners.reshape(4, 2)
    markers = [found.get(marker.id) for marker in HEADER_LAYOUT.markers]
    if any(marker is None for marker in markers):
        read.flags.append(Flag("markers", detail=str(sum(m is not None for m in markers))))
        return None
    source = np.concatenate(markers).astype(np.float32)
    target_mm = np.array(
        [corner for marker in HEADER_LAYOUT.markers for corner in marker.corners], np.float32
    )
    homography, _mask = cv2.findHomography(source, target_mm * SCALE, 0)
    if homography is None:
        read.flags.append(Flag("markers", detail="4"))
        return None
    landed = cv2.perspectiveTransform(source.reshape(-1, 1, 2), homography).reshape(-1, 2)
    error = np.abs(landed / SCALE - target_mm).max()
    if error > MAX_REGISTRATION_ERROR:
        read.flags.append(Flag("bent", detail=f"{error:.1f}"))
        return None
    return homography


def _sharpness(page: np.ndarray) -> float:
    """How steep the markers' black-to-white edges are, as a share of their contrast:
    about 0.5 for a sharp photo, falling as it blurs."""
    values = []
    for marker in HEADER_LAYOUT.markers:
        x, y, size = (round(v * SCALE) for v in (marker.x, marker.y, marker.size))
        crop = page[y : y + size, x : x + size].astype(np.float32)
        low, high = np.percentile(crop, (5, 95))
        if high - low < 40:
            return 0.0
        gradient = np.abs(cv2.Sobel(crop, cv2.CV_32F, 1, 0, ksize=3))
        gradient += np.abs(cv2.Sobel(crop, cv2.CV_32F, 0, 1, ksize=3))
        values.append(np.percentile(gradient, 99) / (8 * (high - low)))
    return float(min(values))


def _qr(grey: np.ndarray, homography: np.ndarray) -> tuple[str, int, str] | None:
    """The sheet's (session code, number, quiz version) from its QR code, straightened
    at QR_SCALES pixels per mm in turn (a blurred code may read at one, not the other)."""
    box = HEADER_LAYOUT.qr
    margin = 3.0
    for scale in QR_SCALES:
        shift = np.array(
            [[scale / SCALE, 0, -(box.x - margin) * scale],
             [0, scale / SCALE, -(box.y - margin) * scale],
             [0, 0, 1]]
        )  # fmt: skip
        size = round((box.width + 2 * margin) * scale)
        crop = cv2.warpPerspective(grey, shift @ homography, (size, size), borderValue=255)
        for barcode in zxingcpp.read_barcodes(crop, formats=zxingcpp.BarcodeFormat.QRCode):
            if identity := qr_parse(barcode.text):
                return identity
    return None


def _darkness(page: np.ndarray) -> np.ndarray:
    """Each pixel's brightness as a share of the paper around it, so that shadows and
    uneven light cancel out. The paper is the page closed (dilated, then eroded) over
    more than a bubble's width: marks vanish from it, a shadow's edge stays in place."""
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (41, 41))
    paper = cv2.blur(cv2.morphologyEx(page, cv2.MORPH_CLOSE, kernel), (9, 9))
    return page.astype(np.float32) / np.maximum(paper.astype(np.float32), 1.0)


def _disc(radius: float) -> tuple[np.ndarray, np.ndarray]:
    size = int(np.ceil(radius))
    ys, xs = np.mgrid[-size : size + 1, -size : size + 1]
    inside = xs**2 + ys**2 <= radius**2
    return ys[inside], xs[inside]


DISC = _disc(HEADER_LAYOUT.bubbles[0].diameter / 2 * INNER * SCALE)


def _ring(inner: float, outer: float) -> tuple[np.ndarray, np.ndarray]:
    size = int(np.ceil(outer))
    ys, xs = np.mgrid[-size : size + 1, -size : size + 1]
    distance = xs**2 + ys**2
    inside = (distance >= inner**2) & (distance <= outer**2)
    return ys[inside], xs[inside]


# The band where a bubble's outline (0.35 mm, inside its diameter) is printed, with
# half a millimetre either side.
_RADIUS = HEADER_LAYOUT.bubbles[0].diameter / 2
RING = _ring((_RADIUS - 0.85) * SCALE, (_RADIUS + 0.5) * SCALE)


def _outline_darkness(darkness: np.ndarray, bubble: Bubble) -> float:
    ys, xs = RING
    band = darkness[ys + round(bubble.y * SCALE), xs + round(bubble.x * SCALE)]
    return float(1 - np.mean(band))


def _disc_values(darkness: np.ndarray, bubble: Bubble) -> np.ndarray:
    ys, xs = DISC
    return darkness[ys + round(bubble.y * SCALE), xs + round(bubble.x * SCALE)]


def _mean_darkness(darkness: np.ndarray, bubble: Bubble) -> float:
    return float(1 - np.mean(_disc_values(darkness, bubble)))


def _state(read: PageRead, darkness: np.ndarray, bubble: Bubble) -> str:
    """Whether a bubble is "filled", "empty" or neither ("unsure")."""
    values = _disc_values(darkness, bubble)
    dark = float(np.mean(values < DARK))
    read.fills[f"{bubble.group}:{bubble.question or ''}:{bubble.value}"] = round(dark, 3)
    if dark >= FILLED:
        return "filled"
    if dark <= EMPTY and float(1 - np.mean(values)) - read.baseline <= FAINT:
        return "empty"
    return "unsure"


def _choose(read: PageRead, darkness, bubbles: list[Bubble], group: str, required=False) -> str:
    """The one value filled in a class or gender row, or "" and a flag."""
    states = {bubble.value: _state(read, darkness, bubble) for bubble in bubbles}
    filled = [value for value, state in states.items() if state == "filled"]
    if "unsure" in states.values() or len(filled) > 1 or (required and not filled):
        read.flags.append(Flag(group))
        return ""
    return filled[0] if filled else ""


def crop(page: np.ndarray, box: Box, margin: float = 1.0) -> np.ndarray:
    """Part of a straightened page, in layout millimetres."""
    top, left = round((box.y - margin) * SCALE), round((box.x - margin) * SCALE)
    bottom = round((box.y + box.height + margin) * SCALE)
    right = round((box.x + box.width + margin) * SCALE)
    return page[max(top, 0) : bottom, max(left, 0) : right]
