import logging
from datetime import timedelta

from celery.signals import worker_ready
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from quizzes import certificates
from quizzes.models import (
    Certificate,
    CertificateBundle,
    Quiz,
    QuizSession,
    SheetFile,
    SheetPage,
)
from quizzes.selectors import forget_recent_sessions

logger = logging.getLogger(__name__)


@receiver(post_delete, sender=CertificateBundle)
@receiver(post_delete, sender=Certificate)
@receiver(post_delete, sender=SheetFile)
def delete_certificate_file(sender, instance, **kwargs):
    """A deleted certificate or bundle (with its session or attempt, or replaced by a
    new request) takes its PDF, and the children's names on it, along; only once the
    deletion is committed. So does an uploaded answer sheet's photo or scan."""
    if instance.file:
        file = instance.file
        transaction.on_commit(lambda: file.delete(save=False))


@receiver(post_delete, sender=SheetPage)
def delete_sheet_page_image(sender, instance, **kwargs):
    """A read page's straightened image (a child's handwritten name) goes with it."""
    if instance.image:
        image = instance.image
        transaction.on_commit(lambda: image.delete(save=False))


@receiver([post_save, post_delete], sender=QuizSession)
@receiver([post_save, post_delete], sender=Quiz)
def forget_cached_sessions(sender, **kwargs):
    """A changed session or quiz is read afresh by this process (see session_by_code)."""
    forget_recent_sessions()


@worker_ready.connect
def requeue_pending_certificates(sender, **kwargs):
    """A worker that starts (or starts again after being killed) queues every pending
    certificate once more: those its previous run held would otherwise wait in Redis'
    unacked list for the visibility timeout. One still queued is found ready on its
    second delivery, at the cost of a row lock and a status check."""
    requeued = certificates.certificates_requeue_stuck(older_than=timedelta(0))
    logger.info("worker ready: %d pending certificates queued again", requeued)
