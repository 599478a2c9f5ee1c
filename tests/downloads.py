"""Reading back the files that views send: a PDF's text, a CSV export's rows."""

import csv
import io

from pypdf import PdfReader


def pdf_text(pdf: bytes) -> str:
    """The text of every page of a PDF, page after page."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def csv_rows(response) -> list[list[str]]:
    """The rows of a streamed CSV export, without the byte order mark some exports start
    with so that Excel reads UTF-8."""
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))
