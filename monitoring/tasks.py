from celery import shared_task

from monitoring import reports


@shared_task(bind=True, max_retries=2)
def reach_report_render(self, report_id: int) -> None:
    try:
        reports.reach_report_render(report_id=report_id)
    except Exception as error:
        # Eagerly (development, tests) there is no later to retry in.
        if self.request.is_eager or self.request.retries >= self.max_retries:
            reports.reach_report_mark_failed(report_id=report_id)
            raise
        raise self.retry(exc=error, countdown=10 * 2**self.request.retries) from error


@shared_task
def reach_reports_delete_old() -> int:
    return reports.reach_reports_delete_old()
