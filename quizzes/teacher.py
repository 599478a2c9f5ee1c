"""The teacher link: a session's results at a secret address for the class's teacher,
without a login (see TeacherLink), and the class's certificates merged for printing.

Staff make and revoke the link from the session's results page in the admin; the
teacher's pages are in quizzes/teacher_views.py. Making a new link revokes the old one,
so at most one address of a session works at a time.
"""

import io
import tempfile
from datetime import timedelta

from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from pypdf import PdfWriter

from cms.files import row_fill_with_file
from quizzes.models import (
    CERTIFICATES_PER_BUNDLE,
    Attempt,
    Certificate,
    CertificateBundle,
    CertificateStatus,
    QuizSession,
    TeacherLink,
    new_download_key,
)
from quizzes.selectors import session_certificates

# A bundle still pending after this long lost its task (a broker down at commit, a
# worker killed): asking for the PDFs again starts it afresh.
BUNDLE_STUCK_AFTER = timedelta(minutes=10)


@transaction.atomic
def teacher_link_create(*, session: QuizSession, created_by=None) -> TeacherLink:
    """A new teacher link for the session; the one it had stops working."""
    # The session's row lock makes two clicks at once give one live link, not an error.
    QuizSession.objects.select_for_update().get(pk=session.pk)
    TeacherLink.objects.filter(session=session, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    link = TeacherLink(session=session, created_by=created_by)
    link.full_clean(exclude=["session", "created_by"], validate_constraints=False)
    link.save()
    return link


@transaction.atomic
def teacher_link_revoke(*, session: QuizSession) -> int:
    """Revoke the session's live teacher link: its address then says it was revoked.
    Returns how many were revoked (0 or 1)."""
    return TeacherLink.objects.filter(session=session, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def teacher_link_live(session: QuizSession) -> TeacherLink | None:
    return TeacherLink.objects.filter(session=session, revoked_at__isnull=True).first()


def teacher_link_by_key(key: str) -> TeacherLink | None:
    """The link with this key, live or revoked, with its session and quiz."""
    if not key or len(key) > 64:
        return None
    return (
        TeacherLink.objects.select_related("session__quiz", "session__school")
        .filter(key=key)
        .first()
    )


def session_students(session: QuizSession) -> QuerySet[Attempt]:
    """The session's attempts as the teacher reads them: by class, then name as the
    students typed them, with their certificate."""
    return session.attempts.select_related("certificate").order_by(
        "class_name", "name", "submitted_at", "pk"
    )


def certificate_bundles(session: QuizSession) -> list[CertificateBundle]:
    return list(CertificateBundle.objects.filter(session=session).order_by("part"))


def certificate_bundles_request(*, session: QuizSession) -> list[CertificateBundle]:
    """The session's ready certificates, merged into PDFs of at most
    CERTIFICATES_PER_BUNDLE each, by a Celery task per PDF. The bundles already made or
    being made are kept when they hold exactly today's certificates; otherwise (new
    certificates, erased names, a failed or stuck bundle) they are replaced."""
    with transaction.atomic():
        # Serialise two requests for one session (a double tap): one set of bundles.
        QuizSession.objects.select_for_update().get(pk=session.pk)
        ids = list(session_certificates(session).values_list("pk", flat=True))
        bundles = certificate_bundles(session)
        if bundles and _still_good(bundles, ids):
            return bundles
        for bundle in bundles:
            bundle.delete()  # its file goes after commit (signal_handlers)
        bundles = [
            CertificateBundle.objects.create(
                session=session,
                part=number,
                certificate_ids=ids[start : start + CERTIFICATES_PER_BUNDLE],
            )
            for number, start in enumerate(range(0, len(ids), CERTIFICATES_PER_BUNDLE), 1)
        ]
        for bundle in bundles:
            _bundle_enqueue(bundle.pk)
    return bundles


def _still_good(bundles: list[CertificateBundle], ids: list[int]) -> bool:
    held = [pk for bundle in bundles for pk in bundle.certificate_ids]
    stuck_before = timezone.now() - BUNDLE_STUCK_AFTER
    return held == ids and all(
        bundle.status == CertificateStatus.READY
        or (bundle.status == CertificateStatus.PENDING and bundle.created_at > stuck_before)
        for bundle in bundles
    )


def _bundle_enqueue(bundle_id: int) -> None:
    from quizzes import tasks

    # robust: a broker hiccup leaves the bundle pending; asking again restarts it.
    transaction.on_commit(lambda: tasks.certificate_bundle_render.delay(bundle_id), robust=True)


def certificate_bundle_render(*, bundle_id: int) -> None:
    """Merge a bundle's certificates into its PDF and fill its row (see
    cms.files.row_fill_with_file: a run that finds the row ready or gone, replaced by a
    new request, deletes its own file). Memory: one certificate read at a time, the
    merged PDF written to a temporary file, and at most CERTIFICATES_PER_BUNDLE
    certificates in pypdf's writer."""
    bundle = CertificateBundle.objects.filter(pk=bundle_id).first()
    if bundle is None or bundle.status == CertificateStatus.READY:
        return
    certificates = {
        certificate.pk: certificate
        for certificate in Certificate.objects.filter(
            pk__in=bundle.certificate_ids,
            status=CertificateStatus.READY,
            attempt__name_erased_at__isnull=True,
        ).exclude(file="")
    }
    writer = PdfWriter()
    for pk in bundle.certificate_ids:
        if pk not in certificates:
            continue  # its name was erased meanwhile
        with certificates[pk].file.open("rb") as pdf:
            writer.append(io.BytesIO(pdf.read()))
    page_count = len(writer.pages)
    with tempfile.TemporaryFile() as merged:
        writer.write(merged)
        writer.close()
        merged.seek(0)
        row_fill_with_file(
            rows=CertificateBundle.objects.all(),
            pk=bundle_id,
            field_name="file",
            content=File(merged),
            # Named by a fresh random key: whoever knows the file name may have the file.
            file_name=f"{new_download_key()}.pdf",
            done=lambda row: row.status == CertificateStatus.READY,
            values={"page_count": page_count, "status": CertificateStatus.READY},
        )


def certificate_bundle_mark_failed(*, bundle_id: int) -> None:
    CertificateBundle.objects.filter(pk=bundle_id).exclude(status=CertificateStatus.READY).update(
        status=CertificateStatus.FAILED
    )
