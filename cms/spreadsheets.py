"""CSV and XLSX downloads, shared by the registry, quiz results and reach exports.

A cell starting with = + - @ (or a tab or carriage return) is a formula to Excel and
LibreOffice: a school or student name typed as "=HYPERLINK(...)" must stay text, so it
gets a ' in front, which spreadsheets hide and the registry importer takes off again.
"""

import csv
import io
from collections.abc import Iterable

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def formula_safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    """A file that hands back what is written, for csv.writer to produce lines."""

    def write(self, value):
        return value


def csv_response(rows: Iterable[Iterable], *, filename: str) -> StreamingHttpResponse:
    """Rows streamed as UTF-8 CSV, with a byte-order mark so that Excel reads the names
    right; None becomes an empty cell."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"
        for row in rows:
            yield writer.writerow(["" if value is None else formula_safe(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(sheets: Iterable[tuple[str, Iterable[Iterable]]], *, filename: str):
    """A workbook with one sheet per (title, rows), written in openpyxl's write-only
    mode: rows go to a temporary file as they come, not into memory."""
    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title[:31])  # Excel's limit for a sheet name
        for row in rows:
            sheet.append([formula_safe(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
