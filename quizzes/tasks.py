from celery import shared_task

from quizzes import certificates, tallies, teacher
from quizzes.sheets import jobs as sheet_jobs


@shared_task(bind=True, max_retries=3)
def certificate_render(self, certificate_id: int) -> None:
    """Render one certificate. Idempotent: a duplicate or a rerun after a killed worker
    finds the certificate ready and stops."""
    try:
        certificates.certificate_render(certificate_id=certificate_id)
    except Exception as error:
        # Eagerly (development, tests) there is no later to retry in.
        if self.request.is_eager or self.request.retries >= self.max_retries:
            certificates.certificate_mark_failed(certificate_id=certificate_id)
            raise
        raise self.retry(exc=error, countdown=30 * 2**self.request.retries) from error


@shared_task(bind=True, max_retries=3)
def certificate_bundle_render(self, bundle_id: int) -> None:
    """Merge a class's certificates for the teacher (see teacher.certificate_bundles_request).
    Idempotent like certificate_render."""
    try:
        teacher.certificate_bundle_render(bundle_id=bundle_id)
    except Exception as error:
        if self.request.is_eager or self.request.retries >= self.max_retries:
            teacher.certificate_bundle_mark_failed(bundle_id=bundle_id)
            raise
        raise self.retry(exc=error, countdown=30 * 2**self.request.retries) from error


@shared_task
def attempts_erase_expired() -> int:
    return certificates.attempts_erase_expired()


@shared_task
def certificates_requeue_stuck() -> int:
    return certificates.certificates_requeue_stuck()


@shared_task
def certificate_files_delete_orphans() -> int:
    return certificates.certificate_files_delete_orphans()


@shared_task
def quiz_tallies_refresh(full: bool = False) -> int:
    """Beat runs this every few minutes, and with `full` every night (see
    tallies.quiz_tallies_refresh). Runs that overlap wait for each other."""
    return tallies.quiz_tallies_refresh(full=full)


@shared_task(bind=True, max_retries=2)
def sheet_batch_read(self, batch_id: int) -> None:
    """Read an upload of answer sheets (see sheets.jobs). A rerun skips the pages kept."""
    try:
        sheet_jobs.sheet_batch_read(batch_id=batch_id)
    except Exception as error:
        if self.request.is_eager or self.request.retries >= self.max_retries:
            sheet_jobs.sheet_batch_mark_failed(batch_id=batch_id)
            raise
        raise self.retry(exc=error, countdown=30 * 2**self.request.retries) from error


@shared_task
def sheet_batches_requeue_stuck() -> int:
    return sheet_jobs.sheet_batches_requeue_stuck()


@shared_task
def sheet_batches_erase_expired() -> int:
    return sheet_jobs.sheet_batches_erase_expired()
