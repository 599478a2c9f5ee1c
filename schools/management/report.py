"""Shared by the import commands: opening the file and printing the report."""

from contextlib import contextmanager

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from schools.importing import RowStatus


@contextmanager
def open_file(path: str):
    try:
        data = open(path, "rb")  # noqa: SIM115 (closed below)
    except OSError as error:
        raise CommandError(
            _("Cannot open %(path)s: %(error)s") % {"path": path, "error": error.strerror}
        ) from None
    with data:
        yield data


def write_report(command, report, *, line_format: str = "") -> None:
    """Every row of `report`, then its counts. `line_format` (translated, with
    number, status, key and name) names what a row is; by default a row of a table."""
    for row in report.rows:
        line = (line_format or _("Row %(number)s: %(status)s · %(key)s %(name)s")) % {
            "number": row.number,
            "status": RowStatus(row.status).label,
            "key": row.key,
            "name": row.name,
        }
        if row.messages:
            line += " · " + " ".join(row.messages)
        style = command.style.ERROR if row.status == RowStatus.ERROR else str
        command.stdout.write(style(line))
    counts = report.counts
    command.stdout.write(
        _("New: %(created)s, updated: %(updated)s, unchanged: %(unchanged)s, errors: %(error)s.")
        % counts
    )
