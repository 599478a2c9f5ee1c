"""Paper answer sheets: a corpus made here, read by quizzes.sheets.reading.

200 sheets drawn by the real renderer (WeasyPrint, the project's template) and
rasterised at 200 dpi are filled with known answers in a pencil-like way (uneven
zigzag strokes, fills from 70% of a bubble up, overflowing edges, some erased marks),
then degraded twice: as scans (150 dpi, skew up to 2 degrees, noise) and as phone
photos (perspective up to 20 degrees, any rotation including upside down, blur,
uneven light and a shadow, JPEG quality 50, 1600 px wide).

    DJANGO_DEBUG=1 .venv/bin/python bench/answer_sheets.py [--count 200] [--seed 1]

Prints per kind: sheets read fully right, sheets flagged, sheets read wrong without
a flag, and sheets per second on one core (decoding the image and reading it).
Goals: 0 wrong without a flag; >= 99% of scans and >= 97% of photos fully right;
>= 10 sheets per second. No database: the session is a stand-in.
"""

import argparse
import math
import os
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

RENDER_DPI = 200
PX_PER_MM = RENDER_DPI / 25.4
OPTION_COUNTS = [4] * 10 + [3] * 3 + [2] * 2  # 15 questions, as a typical quiz


def render_pages(spec, code: str, count: int) -> list[np.ndarray]:
    """The sheets numbered 1..count as grey images at RENDER_DPI, drawn by the project."""
    import pypdfium2

    from quizzes.sheets.drawing import sheets_pdf

    session = SimpleNamespace(code=code, quiz=SimpleNamespace(title="Kenali perundungan"))
    pdf = pypdfium2.PdfDocument(sheets_pdf(spec=spec, session=session, numbers=range(1, count + 1)))
    try:
        return [
            np.array(pdf[index].render(scale=RENDER_DPI / 72, grayscale=True).to_pil())
            for index in range(count)
        ]
    finally:
        pdf.close()


def pencil(image: np.ndarray, bubble, rng: np.random.Generator, *, coverage: float) -> None:
    """Fill a bubble with zigzag pencil strokes covering about `coverage` of it."""
    cx, cy = bubble.x * PX_PER_MM, bubble.y * PX_PER_MM
    radius = bubble.diameter / 2 * PX_PER_MM * rng.uniform(0.85, 1.1)
    shade = int(rng.uniform(40, 140))  # a soft 2B to a light hand with an HB
    width = max(2, int(rng.uniform(0.35, 0.6) * PX_PER_MM))
    top = cy - radius * coverage
    rows = np.arange(top, cy + radius * coverage, width * rng.uniform(0.7, 1.1))
    strokes = image.copy()
    for y in rows:
        half = math.sqrt(max(radius**2 - (y - cy) ** 2, 0)) * rng.uniform(0.75, 1.05)
        start = (int(cx - half + rng.normal(0, 1.5)), int(y + rng.normal(0, 1)))
        end = (int(cx + half + rng.normal(0, 1.5)), int(y + rng.normal(0, 2)))
        cv2.line(strokes, start, end, shade, width, cv2.LINE_AA)
    # Graphite is not ink: some paper shows through.
    grain = rng.uniform(0.75, 1.0, image.shape).astype(np.float32)
    mask = strokes < image
    image[mask] = np.minimum(image[mask], (strokes[mask] / grain[mask]).clip(0, 255))


def erase(image: np.ndarray, bubble, rng: np.random.Generator) -> None:
    """A mark made and rubbed out: a faint smudge over the bubble."""
    cx, cy = int(bubble.x * PX_PER_MM), int(bubble.y * PX_PER_MM)
    radius = int(bubble.diameter / 2 * PX_PER_MM)
    smudge = np.zeros_like(image, dtype=np.float32)
    cv2.circle(smudge, (cx, cy), radius, float(rng.uniform(0.03, 0.08)), -1, cv2.LINE_AA)
    smudge = cv2.GaussianBlur(smudge, (0, 0), 3)
    image[:] = (image.astype(np.float32) * (1 - smudge)).astype(np.uint8)


def fill(page: np.ndarray, layout, rng: np.random.Generator) -> dict:
    """Fill `page` in place with random answers; returns what was filled."""
    truth = {"answers": {}, "grade": str(rng.integers(1, 7)), "parallel": "", "gender": ""}
    chosen = [b for b in layout.group("grade") if b.value == truth["grade"]]
    if rng.random() < 0.8:
        truth["parallel"] = str(rng.choice(list("ABC")))
        chosen += [b for b in layout.group("parallel") if b.value == truth["parallel"]]
    if rng.random() < 0.7:
        truth["gender"] = str(rng.choice(["l", "p"]))
        chosen += [b for b in layout.group("gender") if b.value == truth["gender"]]
    for row in layout.rows:
        bubbles = layout.question_bubbles(row.question)
        answer = bubbles[rng.integers(len(bubbles))]
        truth["answers"][row.question] = [answer.value]
        chosen.append(answer)
        if rng.random() < 0.04:
            erase(page, bubbles[(bubbles.index(answer) + 1) % len(bubbles)], rng)
    for bubble in chosen:
        pencil(page, bubble, rng, coverage=rng.uniform(0.65, 1.0))
    return truth


def as_scan(page: np.ndarray, rng: np.random.Generator) -> bytes:
    """A flatbed scan: 150 dpi, skewed up to 2 degrees, a little noise, PNG."""
    scale = 150 / RENDER_DPI
    small = cv2.resize(page, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    height, width = small.shape
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), rng.uniform(-2, 2), 1.0)
    turn[:, 2] += rng.uniform(-15, 15, 2)
    skewed = cv2.warpAffine(small, turn, (width, height), borderValue=250)
    noisy = (skewed + rng.normal(0, 3, skewed.shape)).clip(0, 255).astype(np.uint8)
    return cv2.imencode(".png", noisy)[1].tobytes()


def as_photo(page: np.ndarray, rng: np.random.Generator) -> bytes:
    """A cheap phone's photo: the page tilted up to 20 degrees towards the camera,
    turned any way (upside down too), on a desk, under uneven light and a shadow,
    slightly out of focus, JPEG 50, 1600 px wide."""
    out_w, out_h = 1600, 2133
    height, width = page.shape
    tilt_x, tilt_y = np.radians(rng.uniform(-20, 20, 2))
    spin = np.radians(rng.choice([0, 90, 180, 270]) + rng.uniform(-12, 12))
    # The page as a plane in space, seen by a camera with a 1.3x-width focal length.
    corners = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], np.float64) * [width / 2, height / 2]
    rx = np.array(
        [[1, 0, 0], [0, np.cos(tilt_x), -np.sin(tilt_x)], [0, np.sin(tilt_x), np.cos(tilt_x)]]
    )
    ry = np.array(
        [[np.cos(tilt_y), 0, np.sin(tilt_y)], [0, 1, 0], [-np.sin(tilt_y), 0, np.cos(tilt_y)]]
    )
    rz = np.array([[np.cos(spin), -np.sin(spin), 0], [np.sin(spin), np.cos(spin), 0], [0, 0, 1]])
    points = np.c_[corners, np.zeros(4)] @ (rx @ ry @ rz).T
    focal = 1.3 * height
    points[:, 2] += focal * 1.05
    projected = points[:, :2] * focal / points[:, 2:3]
    projected -= projected.min(axis=0)
    fit = rng.uniform(0.8, 0.95) * min(
        out_w / np.ptp(projected[:, 0]), out_h / np.ptp(projected[:, 1])
    )
    projected = projected * fit
    projected += (np.array([out_w, out_h]) - projected.max(axis=0)) * rng.uniform(0.2, 0.8, 2)
    source = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
    homography = cv2.getPerspectiveTransform(source, projected.astype(np.float32))
    desk = np.full((out_h, out_w), int(rng.uniform(70, 140)), np.uint8)
    photo = cv2.warpPerspective(page, homography, (out_w, out_h), dst=desk,
                                borderMode=cv2.BORDER_TRANSPARENT)  # fmt: skip
    # Light falling off across the page, and a hand's or phone's shadow (made at an
    # eighth of the size: both are smooth).
    small_w, small_h = out_w // 8, out_h // 8
    ys, xs = np.mgrid[0:small_h, 0:small_w].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    ramp = (np.cos(angle) * xs / small_w + np.sin(angle) * ys / small_h + 1) / 2
    light = 1.0 - rng.uniform(0.2, 0.45) * ramp
    shadow = np.zeros((small_h, small_w), np.float32)
    centre = (int(rng.uniform(0, small_w)), int(rng.uniform(0, small_h)))
    axes = (int(rng.uniform(25, 75)), int(rng.uniform(19, 50)))
    cv2.ellipse(shadow, centre, axes, rng.uniform(0, 180), 0, 360, rng.uniform(0.2, 0.4), -1)
    light *= 1 - cv2.GaussianBlur(shadow, (0, 0), 5)
    light = cv2.resize(light, (out_w, out_h), interpolation=cv2.INTER_LINEAR)
    lit = photo.astype(np.float32) * light
    blurred = cv2.GaussianBlur(lit, (0, 0), rng.uniform(0.6, 1.4))
    noisy = (blurred + rng.normal(0, 4, blurred.shape)).clip(0, 255).astype(np.uint8)
    colour = cv2.merge([noisy, (noisy * 0.98).astype(np.uint8), (noisy * 0.95).astype(np.uint8)])
    return cv2.imencode(".jpg", colour, [cv2.IMWRITE_JPEG_QUALITY, 50])[1].tobytes()


def judge(read, truth: dict, code: str, number: int) -> str:
    """ "right", "flagged" or "wrong" (read without a flag, but not as filled)."""
    if read.flags:
        return "flagged"
    same = (
        read.code == code
        and read.number == number
        and read.answers == truth["answers"]
        and (read.grade, read.parallel, read.gender)
        == (truth["grade"], truth["parallel"], truth["gender"])
    )
    return "right" if same else "wrong"


def filled_keys(truth: dict) -> set[str]:
    """The keys of reading.PageRead.fills that the sheet has filled."""
    keys = {f"answer:{q}:{v}" for q, values in truth["answers"].items() for v in values}
    keys |= {
        f"{group}::{truth[group]}" for group in ("grade", "parallel", "gender") if truth[group]
    }
    return keys


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", help="folder to write the degraded images to")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
    import django

    django.setup()
    from quizzes.sheets.layout import SheetSpec, sheet_layout
    from quizzes.sheets.reading import EMPTY, FILLED, read_page

    cv2.setNumThreads(1)
    rng = np.random.default_rng(options.seed)
    layout = sheet_layout(OPTION_COUNTS)
    code = "BENCH7"
    spec = SheetSpec(layout, version="BE7C")
    started = time.perf_counter()
    pages = render_pages(spec, code, options.count)
    truths = [fill(page, layout, rng) for page in pages]
    corpus = {
        "scans": [as_scan(page, rng) for page in pages],
        "photos": [as_photo(page, rng) for page in pages],
    }
    print(f"corpus: {options.count} sheets drawn, filled and degraded in "
          f"{time.perf_counter() - started:.0f} s")  # fmt: skip
    for kind, images in corpus.items():
        tally = {"right": 0, "flagged": 0, "wrong": 0}
        reasons: dict[str, int] = {}
        # The closest calls: the least filled of the filled bubbles, the most of the empty.
        least_filled, most_empty = 1.0, 0.0
        started = time.process_time()
        for number, (data, truth) in enumerate(zip(images, truths, strict=True), start=1):
            image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
            read = read_page(image, lambda _code: spec)
            verdict = judge(read, truth, code, number)
            filled = filled_keys(truth)
            for key, share in read.fills.items():
                if key in filled:
                    least_filled = min(least_filled, share)
                else:
                    most_empty = max(most_empty, share)
            tally[verdict] += 1
            for flag in read.flags:
                reasons[flag.kind] = reasons.get(flag.kind, 0) + 1
            if options.keep and verdict != "right":
                Path(options.keep).mkdir(exist_ok=True)
                suffix = "png" if kind == "scans" else "jpg"
                Path(options.keep, f"{kind}-{number}-{verdict}.{suffix}").write_bytes(data)
        spent = time.process_time() - started
        total = len(images)
        right_share = 100 * tally["right"] / total
        print(
            f"{kind}: {tally['right']}/{total} read fully right ({right_share:.1f}%), "
            f"{tally['flagged']} flagged {reasons or ''}, "
            f"{tally['wrong']} read wrong without a flag; {total / spent:.1f} sheets/s on one core"
        )
        print(
            f"  closest calls: filled bubbles {least_filled:.2f} dark (filled from {FILLED}), "
            f"empty bubbles {most_empty:.2f} (empty up to {EMPTY})"
        )


if __name__ == "__main__":
    main()
