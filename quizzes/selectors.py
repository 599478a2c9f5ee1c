"""Reads of quizzes, sessions and attempts, for our views and for other apps. What a
set of attempts says (pass rates, pre/post gains) is in quizzes/results.py."""

import copy
import functools
import re
from datetime import date
from time import monotonic

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.urls import reverse
from django.utils import timezone

from cms import qr
from cms.links import absolute_url
from cms.localtime import day_bounds
from quizzes.models import (
    Attempt,
    Certificate,
    CertificateStatus,
    Question,
    Quiz,
    QuizSession,
    QuizTally,
    QuizTallyRefresh,
)
from quizzes.sheets.models import PageStatus, SheetBatch

CODE_FORMAT = re.compile(r"^[A-Za-z0-9]{4,16}$")


# A whole class submits at once: each web process keeps the sessions it has read for a
# few seconds, so a burst costs a query per process rather than one per student. Saving
# a session or quiz clears this process's copies; other processes see an edit (a new
# closing time, say) within SESSION_CACHE_SECONDS.
SESSION_CACHE_SECONDS = 5
_recent_sessions: dict[str, tuple[float, QuizSession]] = {}


def session_by_code(code: str) -> QuizSession | None:
    """The session with this code, capitals or not, with its quiz; None for anything
    that is not a code. Its questions come from `quiz_questions`."""
    if not CODE_FORMAT.match(code):
        return None
    code = code.upper()
    now = monotonic()
    cached = _recent_sessions.get(code)
    if cached and cached[0] > now:
        return copy.copy(cached[1])  # each request gets its own instance
    session = (
        QuizSession.objects.select_related("quiz__audience", "school").filter(code=code).first()
    )
    if session is not None:
        if len(_recent_sessions) > 1000:
            _recent_sessions.clear()
        _recent_sessions[code] = (now + SESSION_CACHE_SECONDS, session)
    return session


def forget_recent_sessions() -> None:
    _recent_sessions.clear()


def quiz_questions(quiz: Quiz) -> list[Question]:
    """The quiz's questions in order, each with its options. A whole class submits at
    once, so each web process keeps them, under a key that changes whenever the quiz
    is saved (the admin saves the quiz with its questions). Change questions through
    their quiz, not on their own, or processes keep serving the old ones."""
    if quiz.pk is None:  # previewing unsaved changes
        return list(quiz.questions.all())
    return _questions(quiz.pk, quiz.updated_at)


@functools.lru_cache(maxsize=64)
def _questions(quiz_id: int, updated_at) -> list[Question]:
    return list(Question.objects.filter(quiz_id=quiz_id).prefetch_related("options"))


def attempt_by_token(*, session: QuizSession, token: str) -> Attempt | None:
    return (
        Attempt.objects.select_related("certificate")
        .filter(session=session, token=token)
        .prefetch_related("answers")
        .first()
    )


def attempt_exists(*, session: QuizSession, token: str) -> bool:
    return Attempt.objects.filter(session=session, token=token).exists()


def attempt_count(session: QuizSession) -> int:
    return session.attempts.count()


def certificate_by_code(code: str) -> Certificate | None:
    """A finished certificate by its verification code, dashes and capitals ignored."""
    normalised = re.sub(r"[^A-Za-z0-9]", "", code).upper()
    if not normalised or len(normalised) > 32:
        return None
    return (
        Certificate.objects.select_related("attempt__session__quiz")
        .filter(code=normalised, status=CertificateStatus.READY)
        .first()
    )


def certificate_by_download_key(key: str) -> Certificate | None:
    return Certificate.objects.filter(download_key=key).select_related("attempt").first()


def session_certificates(session: QuizSession) -> QuerySet[Certificate]:
    """Ready certificates of a session that still have their PDF, in class then name
    order: the order a facilitator hands them out."""
    return (
        Certificate.objects.filter(attempt__session=session, status=CertificateStatus.READY)
        .exclude(file="")
        .order_by("attempt__class_name", "attempt__name", "pk")
    )


def session_attempts(session: QuizSession) -> QuerySet[Attempt]:
    """A session's attempts for the exports, oldest first, with their answers."""
    return (
        session.attempts.select_related("school", "certificate")
        .prefetch_related("answers")
        .order_by("submitted_at", "pk")
    )


def short_url(path: str) -> str:
    """The address to type: without https:// and the trailing slash."""
    return absolute_url(path).split("://", 1)[-1].rstrip("/")


def session_poster(session: QuizSession) -> dict:
    """What a printed poster of the session shows: its quiz, the QR code of its public
    address and the short address to type (template quizzes/pdf/poster_page.html)."""
    return {
        "session": session,
        "short_url": short_url(session.path),
        "qr": qr.svg_data_uri(absolute_url(session.path)),
    }


def session_question_sheet(session: QuizSession) -> dict:
    """What the question sheet of a session shows (quizzes/sheets/question_sheet_body.html):
    each question with its options lettered as on the paper answer sheet."""
    letters = "ABCDE"  # quizzes.sheets.layout.OPTION_LETTERS: selectors load no OpenCV
    items = [
        {"question": question, "options": list(zip(letters, question.options.all(), strict=False))}
        for question in quiz_questions(session.quiz)
    ]
    return {
        "session": session,
        "items": items,
        "sheets_path": reverse("quizzes_admin:sheets_print", args=[session.pk]),
    }


def sheet_batches_to_review(*, limit: int) -> list[SheetBatch]:
    """Uploads of answer sheets with sheets flagged and not yet confirmed, newest first,
    each with `to_review`, how many."""
    return list(
        SheetBatch.objects.annotate(
            to_review=Count("pages", filter=Q(pages__status=PageStatus.FLAGGED))
        )
        .filter(to_review__gt=0)
        .select_related("session__quiz")
        .order_by("-created_at")[:limit]
    )


def sessions_for_visit(visit) -> QuerySet[QuizSession]:
    """The quiz sessions of a visit with their figures (see `with_figures`)."""
    return with_figures(QuizSession.objects.filter(visit=visit).select_related("quiz"))


def session_list(
    *,
    starts_on: date | None = None,
    ends_on: date | None = None,
    school=None,
    campaign=None,
    district=None,
    quiz=None,
) -> QuerySet[QuizSession]:
    """Sessions that opened in the period (local days), with their figures."""
    sessions = QuizSession.objects.select_related("quiz", "school", "visit__campaign")
    if starts_on:
        sessions = sessions.filter(opens_at__gte=day_bounds(starts_on, starts_on)[0])
    if ends_on:
        sessions = sessions.filter(opens_at__lte=day_bounds(ends_on, ends_on)[1])
    if school is not None:
        sessions = sessions.filter(school=school)
    if campaign is not None:
        sessions = sessions.filter(visit__campaign=campaign)
    if district is not None:
        sessions = sessions.filter(school__district=district)
    if quiz is not None:
        sessions = sessions.filter(quiz=quiz)
    return with_figures(sessions).order_by("-opens_at")


def sessions_open(*, limit: int) -> list[QuizSession]:
    """The sessions taking answers now, newest first, at most `limit`, with their
    figures. One query."""
    now = timezone.now()
    sessions = QuizSession.objects.filter(opens_at__lte=now).filter(
        Q(closes_at__isnull=True) | Q(closes_at__gt=now)
    )
    return list(
        with_figures(sessions.select_related("quiz", "school")).order_by("-opens_at")[:limit]
    )


def sessions_with_failed_certificates(*, limit: int) -> list[QuizSession]:
    """The sessions with certificates the worker gave up on, most failures first, at
    most `limit`, each with `failed_count`. One query."""
    failed = Q(attempts__certificate__status=CertificateStatus.FAILED)
    return list(
        QuizSession.objects.filter(failed)
        .select_related("quiz")
        .annotate(failed_count=Count("attempts", filter=failed))
        .order_by("-failed_count", "-opens_at")[:limit]
    )


def with_figures(sessions: QuerySet[QuizSession]) -> QuerySet[QuizSession]:
    """Annotate each session with attempt_count, passed_count and mean_score."""
    return sessions.annotate(
        attempt_count=Count("attempts"),
        passed_count=Count("attempts", filter=Q(attempts__passed=True)),
        mean_score=Avg("attempts__score"),
    )


def attempts_in(
    *,
    starts_on: date | None = None,
    ends_on: date | None = None,
    school=None,
    campaign=None,
    district=None,
    quiz=None,
    session=None,
    visit=None,
) -> QuerySet[Attempt]:
    """Attempts submitted in the period (local days, both ends included), narrowed by any
    of: the student's school, its kecamatan (or the kecamatan of the village session of
    a student who named no school), the visit's campaign, the quiz, one session or one
    visit."""
    attempts = Attempt.objects.all()
    if starts_on:
        attempts = attempts.filter(submitted_at__gte=day_bounds(starts_on, starts_on)[0])
    if ends_on:
        attempts = attempts.filter(submitted_at__lte=day_bounds(ends_on, ends_on)[1])
    if school is not None:
        attempts = attempts.filter(school=school)
    if district is not None:
        attempts = attempts.filter(
            Q(school__district=district)
            | Q(school__isnull=True, session__visit__village__district=district)
        )
    if campaign is not None:
        attempts = attempts.filter(session__visit__campaign=campaign)
    if quiz is not None:
        attempts = attempts.filter(session__quiz=quiz)
    if session is not None:
        attempts = attempts.filter(session=session)
    if visit is not None:
        attempts = attempts.filter(session__visit=visit)
    return attempts


# The quiz tallies (see quizzes.tallies), for the reach figures

# The sums a QuizTally holds, as `quiz_tally_sums` answers them.
TALLY_SUMS = ["attempts", "paper", "passed", "score_sum", "certificates", "pairs", "pre_score_sum",
              "post_score_sum", "improved"]  # fmt: skip


def quiz_tally_sums(
    *, starts_on: date, ends_on: date, campaign=None, regency=None, district=None, level: str = ""
) -> list[dict]:
    """The tallies of the period (local days), of one campaign, regency, kecamatan or
    school level if given, summed per month and kecamatan: rows of `month` (its first day),
    `kecamatan` (a district id: of the student's school, or of the village of a session
    in a village; None for a student of no registry school) and the
    TALLY_SUMS. One grouped query over a few thousand rows at most."""
    tallies = QuizTally.objects.filter(day__range=(starts_on, ends_on))
    if campaign is not None:
        tallies = tallies.filter(campaign=campaign)
    if regency is not None:
        tallies = tallies.filter(
            Q(school__district__regency=regency) | Q(village__district__regency=regency)
        )
    if district is not None:
        tallies = tallies.filter(Q(school__district=district) | Q(village__district=district))
    if level:
        tallies = tallies.filter(school__level=level)
    return list(
        tallies.values(
            month=TruncMonth("day"),
            kecamatan=Coalesce("school__district_id", "village__district_id"),
        )
        .annotate(**{name: Sum(name) for name in TALLY_SUMS})
        .order_by()
    )


def quiz_tally_state() -> QuizTallyRefresh | None:
    """How far the tallies are up to date: the newest attempt counted and when they were
    last refreshed; None before the first refresh."""
    return QuizTallyRefresh.objects.filter(pk=1).first()
