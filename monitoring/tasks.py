from datetime import date

from celery import shared_task

from cms.district import local_today
from monitoring import emails, pack, reports


@shared_task(bind=True, max_retries=3)
def meeting_pack_render(self, pack_id: int) -> None:
    """Make a meeting's pack (see monitoring/pack.py). Idempotent."""
    try:
        pack.meeting_pack_render(pack_id=pack_id)
    except Exception as error:
        # Eagerly (development, tests) there is no later to retry in.
        if self.request.is_eager or self.request.retries >= self.max_retries:
            pack.meeting_pack_mark_failed(pack_id=pack_id)
            raise
        raise self.retry(exc=error, countdown=30 * 2**self.request.retries) from error


@shared_task(bind=True, max_retries=2)
def reach_report_render(self, report_id: int) -> None:
    """Make a reach report (see monitoring/reports.py). Idempotent."""
    try:
        reports.reach_report_render(report_id=report_id)
    except Exception as error:
        if self.request.is_eager or self.request.retries >= self.max_retries:
            reports.reach_report_mark_failed(report_id=report_id)
            raise
        raise self.retry(exc=error, countdown=10 * 2**self.request.retries) from error


@shared_task
def reach_reports_delete_old() -> int:
    return reports.reach_reports_delete_old()


@shared_task(bind=True, max_retries=3, default_retry_delay=15 * 60)
def action_reminders_send(self, day: str | None = None) -> dict[str, int]:
    """Beat runs this at 07:05 (CELERY_TIMEZONE). A retry keeps the same day; emails already sent
    or claimed are skipped (see monitoring/emails.py)."""
    today = date.fromisoformat(day) if day else local_today()
    counts = emails.action_reminders_send(today=today)
    if counts["failed"]:
        raise self.retry(kwargs={"day": today.isoformat()})
    return counts
