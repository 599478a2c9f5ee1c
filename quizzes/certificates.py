"""Certificates: rendering a student's PDF (outside any transaction, so a dropped
connection leaves no file without its row), queueing and requeueing the renders,
sweeping files no row refers to, and erasing names and PDFs after the retention
period. quizzes/services.py records the attempts that certificates belong to."""

import base64
import functools
import logging
import mimetypes
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from wagtail.models import Site

from cms import qr
from cms.district import local
from cms.files import row_fill_with_file
from cms.links import absolute_url
from cms.localtime import months_before
from cms.pdf import render_to_pdf
from quizzes.models import (
    Attempt,
    Certificate,
    CertificateBundle,
    CertificateSettings,
    CertificateStatus,
)

logger = logging.getLogger(__name__)


def certificate_enqueue(*, certificate_id: int) -> None:
    from quizzes import tasks

    # robust: a broker hiccup must not turn a recorded attempt into an error page; the
    # sweeper (certificates_requeue_stuck) picks the certificate up later.
    transaction.on_commit(lambda: tasks.certificate_render.delay(certificate_id), robust=True)


def certificate_context(certificate: Certificate) -> dict:
    attempt = certificate.attempt
    session = attempt.session
    issuer = _certificate_settings()
    verify_url = absolute_url(f"/v/{certificate.code}/")
    return {
        "certificate": certificate,
        "name": attempt.name,
        "name_size": name_font_size(attempt.name),
        "quiz": session.quiz,
        "campaign": session.visit.campaign if session.visit_id else None,
        "school": attempt.school,
        "date": local(attempt.submitted_at),
        "issuer": issuer,
        "signature": _image_data_uri(issuer.signature),
        "verify_url": verify_url,
        "verify_qr": qr.png_data_uri(verify_url),
    }


def certificate_pdf(certificate: Certificate) -> bytes:
    with translation.override("id"):
        return render_to_pdf("quizzes/pdf/certificate.html", certificate_context(certificate))


def certificate_render(*, certificate_id: int) -> None:
    """Fill a certificate row with its PDF. Safe to run twice or at the same time (see
    cms.files.row_fill_with_file): a run that finds it ready, or its name erased
    meanwhile, deletes its own file, so no file with a child's name is left without a
    row (certificate_files_delete_orphans sweeps what a killed process leaves)."""
    certificate = Certificate.objects.select_related(
        "attempt__session__quiz", "attempt__session__visit__campaign", "attempt__school"
    ).get(pk=certificate_id)
    if certificate.status == CertificateStatus.READY or certificate.attempt.name_erased_at:
        return
    row_fill_with_file(
        rows=Certificate.objects.select_related("attempt"),
        pk=certificate_id,
        field_name="file",
        content=ContentFile(certificate_pdf(certificate)),
        # Named after the download key: whoever knows the file name may have the file.
        file_name=f"{certificate.download_key}.pdf",
        # Another run was first, or the name is gone.
        done=lambda row: row.status == CertificateStatus.READY or row.attempt.name_erased_at,
        values={"status": CertificateStatus.READY},
    )


def certificate_mark_failed(*, certificate_id: int) -> None:
    Certificate.objects.filter(pk=certificate_id).exclude(status=CertificateStatus.READY).update(
        status=CertificateStatus.FAILED
    )


def certificates_requeue_stuck(*, older_than: timedelta = timedelta(minutes=10)) -> int:
    """Queue again the certificates pending for longer than `older_than`: their task
    was lost (a broker down at commit time) or is held by a worker that died (Redis
    gives it back only after its visibility timeout). A certificate still in the queue
    is then rendered once and found ready the second time."""
    stuck = Certificate.objects.filter(
        status=CertificateStatus.PENDING, created_at__lt=timezone.now() - older_than
    ).values_list("pk", flat=True)
    from quizzes import tasks

    count = 0
    for certificate_id in stuck:
        tasks.certificate_render.delay(certificate_id)
        count += 1
    return count


def certificate_files_delete_orphans(*, older_than: timedelta = timedelta(hours=1)) -> int:
    """Delete the certificate and bundle files that no row refers to: left by a process
    killed between writing a PDF and committing its row. The erasure of names only
    reaches files with a row, so these would keep a child's name forever. Files younger
    than `older_than` may belong to a render about to commit and are left alone."""
    cutoff = timezone.now() - older_than
    deleted = 0
    for model in (Certificate, CertificateBundle):
        field = model._meta.get_field("file")
        folder = field.upload_to.rstrip("/")
        referenced = set(model.objects.exclude(file="").values_list("file", flat=True))
        try:
            filenames = field.storage.listdir(folder)[1]
        except FileNotFoundError:  # nothing rendered yet
            continue
        for filename in filenames:
            name = f"{folder}/{filename}"
            if name not in referenced and field.storage.get_modified_time(name) < cutoff:
                field.storage.delete(name)
                deleted += 1
    return deleted


def attempts_erase_expired(*, now: datetime | None = None) -> int:
    """Erase the names of attempts older than the retention period and delete their
    certificate PDFs, and the merged PDFs of their sessions. Scores, classes and the
    certificates' validity stay, anonymous."""
    now = now or timezone.now()
    cutoff = months_before(now, settings.QUIZ_RETENTION_MONTHS)
    expired = Attempt.objects.filter(submitted_at__lt=cutoff, name_erased_at__isnull=True)
    certificates = Certificate.objects.filter(attempt__in=expired).exclude(file="")
    for certificate in certificates.iterator():
        certificate.file.delete(save=False)
    with transaction.atomic():
        certificates.update(file="")
        # A class's merged certificates go with any of its names (files after commit).
        for bundle in CertificateBundle.objects.filter(session__in=expired.values("session_id")):
            bundle.delete()
        return expired.update(name="", name_erased_at=now)


def name_font_size(name: str) -> int:
    """Points for the name on the certificate: long names shrink to stay on one or two
    lines of the A4 landscape page."""
    length = len(name)
    for limit, size in ((20, 40), (30, 32), (42, 26), (60, 20)):
        if length <= limit:
            return size
    return 16


def _certificate_settings() -> CertificateSettings:
    site = Site.objects.filter(is_default_site=True).first()
    return CertificateSettings.for_site(site) if site else CertificateSettings()


def _image_data_uri(image) -> str:
    if image is None:
        return ""
    return _file_data_uri(image.file.name, image.file_hash)


@functools.lru_cache(maxsize=8)
def _file_data_uri(name: str, file_hash: str) -> str:
    """A stored file as a data: URI, kept per process: a batch of certificates reads the
    signature once, not once per certificate from the bucket. A replaced file has
    another hash, so a changed signature is read again."""
    try:
        with default_storage.open(name, "rb") as file:
            data = file.read()
    except OSError:
        logger.warning("signature image %s is missing", name)
        return ""
    mime = mimetypes.guess_type(name)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"
