"""Answer sheets printed by the real renderer and filled like a pencil would, as
images for the reader (the same pencil as bench/answer_sheets.py)."""

import cv2
import numpy as np
import pypdfium2

from bench.answer_sheets import RENDER_DPI, as_photo, erase, pencil
from quizzes.sheets.drawing import sheets_pdf
from quizzes.sheets.records import session_sheet_spec

__all__ = ["as_photo", "erase", "fill", "png", "print_sheets"]


def print_sheets(session, numbers) -> list[np.ndarray]:
    """The sheets `numbers` of `session`, as printed, at RENDER_DPI (grey)."""
    spec = session_sheet_spec(session)
    pdf = pypdfium2.PdfDocument(sheets_pdf(spec=spec, session=session, numbers=numbers))
    try:
        return [
            np.array(pdf[index].render(scale=RENDER_DPI / 72, grayscale=True).to_pil())
            for index in range(len(pdf))
        ]
    finally:
        pdf.close()


def fill(image, session, *, answers: dict, grade="", parallel="", gender="", coverage=0.95):
    """Fill `answers` ({question number: "AB"}) and the class and gender bubbles."""
    layout = session_sheet_spec(session).layout
    rng = np.random.default_rng(7)
    chosen = [
        bubble
        for bubble in layout.bubbles
        if (bubble.group == "answer" and bubble.value in answers.get(bubble.question, ""))
        or (bubble.group, bubble.value) in {("grade", grade), ("parallel", parallel),
                                            ("gender", gender)}
    ]  # fmt: skip
    for bubble in chosen:
        pencil(image, bubble, rng, coverage=coverage)
    return image


def png(image) -> bytes:
    return cv2.imencode(".png", image)[1].tobytes()
