from datetime import date

from celery import shared_task

from campaigns import emails, services
from campaigns.models import Visit
from cms.district import local_today


@shared_task(bind=True, max_retries=3, default_retry_delay=15 * 60)
def reminders_send(self, day: str | None = None) -> dict[str, int]:
    """Beat runs this at 07:00 (CELERY_TIMEZONE). A retry keeps the same day, even after midnight;
    already sent or claimed emails are skipped (see campaigns/emails.py)."""
    today = date.fromisoformat(day) if day else local_today()
    counts = emails.reminders_send(today=today)
    if counts["failed"]:
        raise self.retry(kwargs={"day": today.isoformat()})
    return counts


@shared_task
def visit_photos_delete_expired() -> int:
    """Beat runs this every night (see settings.VISIT_PHOTO_RETENTION_MONTHS)."""
    return services.visit_photos_delete_expired()


@shared_task(bind=True, max_retries=3, default_retry_delay=15 * 60)
def visit_request_notify(self, visit_id: int) -> dict[str, int]:
    visit = Visit.objects.filter(pk=visit_id).first()
    if visit is None:
        return {"sent": 0, "failed": 0}
    counts = emails.visit_request_notify(visit=visit)
    if counts["failed"]:
        raise self.retry()
    return counts
