"""Printed reach reports for the coordination meetings: asked for from the dashboard,
rendered by a Celery task (WeasyPrint takes seconds at district scale: never inside a
request), followed on a page that reloads itself until the PDF is ready, and deleted
after a day. They show monitoring.selectors.reach() for the dashboard's filters, so
they say what the dashboard says."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

from campaigns.selectors import done_sessions
from cms.district import local
from cms.files import row_fill_with_file
from cms.pdf import render_to_pdf
from monitoring.charts import reach_charts
from monitoring.forms import ReachFilterForm
from monitoring.models import JobStatus, ReachReport
from monitoring.selectors import reach_cached

# The printed report lists at most this many sessions (the newest); the exports list all.
REPORT_SESSIONS = 300
KEEP_FOR = timedelta(days=1)
# A report still pending after this long lost its task (a broker down, a worker killed):
# its page offers to ask again.
STUCK_AFTER = timedelta(minutes=10)


def reach_report_request(*, user, filters: dict[str, str], with_facilitators: bool) -> ReachReport:
    """A report of the dashboard's `filters` (its GET parameters), rendered after commit."""
    from monitoring import tasks

    report = ReachReport.objects.create(
        requested_by=user, filters=filters, with_facilitators=with_facilitators
    )
    # robust: a broker hiccup leaves the report pending, and its page offers to ask again.
    transaction.on_commit(lambda: tasks.reach_report_render.delay(report.pk), robust=True)
    return report


def reach_report_render(*, report_id: int) -> None:
    """Render the report's PDF, then fill its row (cms.files.row_fill_with_file)."""
    report = ReachReport.objects.filter(pk=report_id).first()
    if report is None or report.status == JobStatus.READY:
        return
    row_fill_with_file(
        rows=ReachReport.objects.all(),
        pk=report_id,
        field_name="file",
        content=ContentFile(reach_report_pdf(report)),
        file_name=f"{secrets.token_urlsafe(16)}.pdf",  # the name gives nothing away
        done=lambda row: row.status == JobStatus.READY,
        values={"status": JobStatus.READY},
    )


def reach_report_pdf(report: ReachReport) -> bytes:
    """The report, always in Indonesian and in the district's time. The requester's
    regency limit applies again: it may have been set since they asked."""
    filters = ReachFilterForm(report.filters, user=report.requested_by).filters()
    with translation.override(settings.LANGUAGE_CODE):
        figures = reach_cached(**filters)
        sessions = done_sessions(**filters)
        return render_to_pdf(
            "monitoring/report.html",
            {
                "reach": figures,
                **reach_charts(figures),
                "sessions": list(sessions.reverse()[:REPORT_SESSIONS])[::-1],
                "session_count": sessions.count(),
                "printed_at": local(timezone.now()),
                "show_facilitators": report.with_facilitators,
            },
        )


def reach_report_mark_failed(*, report_id: int) -> None:
    ReachReport.objects.filter(pk=report_id).exclude(status=JobStatus.READY).update(
        status=JobStatus.FAILED
    )


def reach_report_is_stuck(report: ReachReport) -> bool:
    return report.status == JobStatus.PENDING and report.created_at < timezone.now() - STUCK_AFTER


def reach_reports_delete_old(*, older_than: timedelta = KEEP_FOR) -> int:
    """Delete the reports asked for before `older_than` ago (their files after commit,
    see monitoring.signal_handlers)."""
    old = ReachReport.objects.filter(created_at__lt=timezone.now() - older_than)
    deleted = 0
    for report in old.iterator():
        report.delete()
        deleted += 1
    return deleted
