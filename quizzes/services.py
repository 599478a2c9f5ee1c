import base64
import calendar
import functools
import logging
import mimetypes
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from limits import parse
from wagtail.models import Site

from cms import qr, ratelimit
from cms.links import absolute_url
from cms.pdf import render_to_pdf
from quizzes.models import (
    SESSION_CODE_LENGTH,
    Answer,
    Attempt,
    Certificate,
    CertificateSettings,
    CertificateStatus,
    Option,
    Question,
    Quiz,
    QuizSession,
    SessionKind,
    SessionState,
    random_code,
)
from quizzes.selectors import attempt_by_token, quiz_questions

logger = logging.getLogger(__name__)

# Submissions are counted per session and token, and per session; never per IP address,
# since a whole school is behind one.
# Tries with one form: a double tap and a few retries over a bad connection.
SUBMITS_PER_TOKEN = parse("20/10 minutes")
# Submissions to one session: a school assembly of a thousand, all at once.
SUBMITS_PER_SESSION = parse("1200/minute")


class SessionNotOpen(Exception):
    """The session takes no answers now; `state` says whether it is not yet open or
    closed."""

    def __init__(self, state: str):
        super().__init__(state)
        self.state = state


class SessionFull(Exception):
    """The session has reached its cap on attempts."""


class TooManyTries(Exception):
    """One form was sent too often (a stuck retry loop, or a script replaying it)."""


class SessionBusy(Exception):
    """Too many submissions reached the session at once; the student may send again in
    a minute."""


def session_code_new() -> str:
    """A random code that no session uses yet (the unique constraint stays the guard)."""
    while True:
        code = random_code(SESSION_CODE_LENGTH)
        if not QuizSession.objects.filter(code=code).exists():
            return code


@transaction.atomic
def session_create(
    *,
    quiz: Quiz,
    code: str = "",
    kind: str = SessionKind.STANDALONE,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    school=None,
    visit=None,
    max_attempts: int | None = None,
    created_by=None,
) -> QuizSession:
    session = QuizSession(
        quiz=quiz,
        code=code.upper() or session_code_new(),
        kind=kind,
        opens_at=opens_at or timezone.now(),
        closes_at=closes_at,
        school=school,
        visit=visit,
        max_attempts=max_attempts,
        created_by=created_by,
    )
    session.full_clean()
    session.save()
    return session


def grade(questions: list[Question], answers: dict[int, list[int]]) -> dict[int, bool]:
    """{question id: right or wrong}. A question is right when exactly its correct
    options were chosen: for multiple choice, all of them and nothing else. A question
    left unanswered is wrong."""
    return {
        question.pk: sorted(answers.get(question.pk, []))
        == sorted(option.pk for option in question.options.all() if option.is_correct)
        for question in questions
    }


def submission_admit(
    *, session: QuizSession, token: str | None, issued_at: datetime | None
) -> Attempt | None:
    """What is decided before a posted form is read: count one try of this form's
    `token` (None when the token was missing, forged or expired) and refuse a session
    that takes no answers (SessionNotOpen) or a form sent too often (TooManyTries).
    Returns the attempt already recorded with this token once the session is no longer
    open, whose result is then shown again. (While it is open, `attempt_submit` finds a
    resubmission by its token by itself.)"""
    if token is not None:
        if not ratelimit.hit(SUBMITS_PER_TOKEN, "quiz-submit", str(session.pk), token):
            raise TooManyTries
        if session.state() != SessionState.OPEN and (
            recorded := attempt_by_token(session=session, token=token)
        ):
            return recorded
    if not session.takes_answers(issued_at=issued_at):
        raise SessionNotOpen(session.state())
    return None


def attempt_submit(
    *,
    session: QuizSession,
    token: str,
    class_name: str,
    answers: dict[int, list[int]],
    issued_at: datetime | None = None,
    gender: str = "",
    name: str = "",
    school_id: int | None = None,
    device_id: str = "",
) -> tuple[Attempt, bool]:
    """Record one submission, once per token: (attempt, created). A second submission
    with the same token, even at the same instant from another tab, hits the unique
    constraint and gets the first attempt back. A passing attempt with a name gets a
    certificate, rendered after commit.

    `issued_at` is when the form was handed out: a form issued before the session
    closed may still be sent for a while after (QuizSession.takes_answers). Raises
    SessionNotOpen, SessionBusy (the session's rate limit), ValidationError (answers
    that do not fit the quiz) or SessionFull (its cap on attempts)."""
    if not session.takes_answers(issued_at=issued_at):
        raise SessionNotOpen(session.state())
    if not ratelimit.hit(SUBMITS_PER_SESSION, "quiz-submit", str(session.pk)):
        raise SessionBusy
    questions = quiz_questions(session.quiz)
    if not questions or set(answers) != {question.pk for question in questions}:
        raise ValidationError(_("Every question of the quiz must be answered."))
    results = grade(questions, answers)
    correct_count = sum(results.values())
    score = round(100 * correct_count / len(questions))
    attempt = Attempt(
        session=session,
        school_id=school_id if session.is_public else session.school_id,
        class_name=class_name,
        gender=gender,
        name=name,
        device_id=device_id,
        token=token,
        correct_count=correct_count,
        question_count=len(questions),
        score=score,
        passed=score >= session.quiz.pass_mark,
    )
    # Foreign keys and uniqueness are left to the database: no extra queries.
    attempt.full_clean(
        exclude=["session", "school"], validate_unique=False, validate_constraints=False
    )
    try:
        return _attempt_insert(attempt, session=session, answers=answers, results=results)
    except (OperationalError, InterfaceError):
        if transaction.get_connection().in_atomic_block:
            raise  # the caller's transaction is lost with the connection
        # A connection ended mid-transaction (a database restart, a proxy) or another
        # passing failure: once more, on a new connection. The unique token makes it
        # safe even if the first commit went through.
        logger.warning("Connection lost while recording an attempt; trying again", exc_info=True)
        transaction.get_connection().close()
        return _attempt_insert(attempt, session=session, answers=answers, results=results)


def _attempt_insert(
    attempt: Attempt, *, session: QuizSession, answers: dict[int, list[int]], results: dict
) -> tuple[Attempt, bool]:
    """The insert comes first in its own transaction (a savepoint only when called inside
    another one): a duplicate token rolls it back whole, answers and all."""
    attempt.pk = None  # a new row, also on the second try
    attempt._state.adding = True
    try:
        with transaction.atomic():
            if session.max_attempts:
                # Serialise submissions to a capped session so the cap holds in a burst.
                locked = QuizSession.objects.select_for_update().get(pk=session.pk)
                if locked.attempts.count() >= locked.max_attempts:
                    if existing := Attempt.objects.filter(token=attempt.token).first():
                        return existing, False
                    raise SessionFull
            attempt.save(force_insert=True)
            Answer.objects.bulk_create(
                Answer(attempt=attempt, question_id=pk, chosen=answers[pk],
                       is_correct=results[pk])
                for pk in results
            )  # fmt: skip
            if attempt.passed and attempt.name:
                certificate = Certificate.objects.create(attempt=attempt)
                certificate_enqueue(certificate_id=certificate.pk)
    except IntegrityError:
        return Attempt.objects.get(token=attempt.token), False
    return attempt, True


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
        "date": timezone.localtime(attempt.submitted_at),
        "issuer": issuer,
        "signature": _image_data_uri(issuer.signature),
        "verify_url": verify_url,
        "verify_qr": qr.png_data_uri(verify_url),
    }


def certificate_pdf(certificate: Certificate) -> bytes:
    with translation.override("id"):
        return render_to_pdf("quizzes/pdf/certificate.html", certificate_context(certificate))


def certificate_render(*, certificate_id: int) -> None:
    """Fill a certificate row with its PDF. Safe to run twice or at the same time: the
    PDF is rendered outside any transaction (seconds of WeasyPrint hold no connection or
    lock), then the row is locked, checked and filled; a run that finds it ready, or its
    name erased meanwhile, deletes its own file. So does a run whose commit fails, so no
    file with a child's name is left without a row (certificate_files_delete_orphans
    sweeps what a killed process leaves)."""
    certificate = Certificate.objects.select_related(
        "attempt__session__quiz", "attempt__session__visit__campaign", "attempt__school"
    ).get(pk=certificate_id)
    if certificate.status == CertificateStatus.READY or certificate.attempt.name_erased_at:
        return
    pdf = certificate_pdf(certificate)
    # Named after the download key: whoever knows the file name may have the file.
    name = certificate.file.field.generate_filename(certificate, f"{certificate.download_key}.pdf")
    storage = certificate.file.storage
    saved = storage.save(name, ContentFile(pdf))
    try:
        with transaction.atomic():
            locked = (
                Certificate.objects.select_for_update(of=("self",))
                .select_related("attempt")
                .get(pk=certificate_id)
            )
            if locked.status == CertificateStatus.READY or locked.attempt.name_erased_at:
                storage.delete(saved)  # another run was first, or the name is gone
                return
            locked.file.name = saved
            locked.status = CertificateStatus.READY
            locked.ready_at = timezone.now()
            locked.save(update_fields=["file", "status", "ready_at"])
    except BaseException:
        storage.delete(saved)
        raise


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
    """Delete the certificate files that no certificate refers to: left by a process
    killed between writing a PDF and committing its row. The erasure of names only
    reaches files with a row, so these would keep a child's name forever. Files younger
    than `older_than` may belong to a render about to commit and are left alone."""
    field = Certificate._meta.get_field("file")
    folder = field.upload_to.rstrip("/")
    referenced = set(Certificate.objects.exclude(file="").values_list("file", flat=True))
    cutoff = timezone.now() - older_than
    try:
        filenames = field.storage.listdir(folder)[1]
    except FileNotFoundError:  # no certificate rendered yet
        return 0
    deleted = 0
    for filename in filenames:
        name = f"{folder}/{filename}"
        if name not in referenced and field.storage.get_modified_time(name) < cutoff:
            field.storage.delete(name)
            deleted += 1
    return deleted


def retention_cutoff(now: datetime) -> datetime:
    """`now` minus settings.QUIZ_RETENTION_MONTHS calendar months."""
    months = now.year * 12 + now.month - 1 - settings.QUIZ_RETENTION_MONTHS
    year, month = divmod(months, 12)
    day = min(now.day, calendar.monthrange(year, month + 1)[1])
    return now.replace(year=year, month=month + 1, day=day)


def attempts_erase_expired(*, now: datetime | None = None) -> int:
    """Erase the names of attempts older than the retention period and delete their
    certificate PDFs. Scores, classes and the certificates' validity stay, anonymous."""
    now = now or timezone.now()
    expired = Attempt.objects.filter(
        submitted_at__lt=retention_cutoff(now), name_erased_at__isnull=True
    )
    certificates = Certificate.objects.filter(attempt__in=expired).exclude(file="")
    for certificate in certificates.iterator():
        certificate.file.delete(save=False)
    with transaction.atomic():
        certificates.update(file="")
        return expired.update(name="", name_erased_at=now)


@transaction.atomic
def quiz_duplicate(*, quiz: Quiz) -> Quiz:
    """A copy of the quiz with its questions and options, to adapt without touching the
    results of the original."""
    title = _("%(title)s (copy)") % {"title": quiz.title}
    copy = Quiz.objects.create(
        title=title[: Quiz._meta.get_field("title").max_length],
        introduction=quiz.introduction,
        topic=quiz.topic,
        audience=quiz.audience,
        pass_mark=quiz.pass_mark,
    )
    for question in quiz.questions.prefetch_related("options"):
        new_question = Question.objects.create(
            quiz=copy,
            text=question.text,
            kind=question.kind,
            explanation=question.explanation,
            sort_order=question.sort_order,
        )
        Option.objects.bulk_create(
            Option(
                question=new_question,
                text=option.text,
                is_correct=option.is_correct,
                sort_order=option.sort_order,
            )
            for option in question.options.all()
        )
    return copy


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
