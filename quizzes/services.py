"""Writes for quizzes: opening sessions, admitting and recording a student's answers (one
attempt per form token), grading and duplicating quizzes. Certificates are in
certificates.py."""

import logging
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from limits import parse

from cms import ratelimit
from quizzes.certificates import certificate_enqueue
from quizzes.models import (
    SESSION_CODE_LENGTH,
    Answer,
    Attempt,
    AttemptSource,
    Certificate,
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
    source: str = AttemptSource.PHONE,
) -> tuple[Attempt, bool]:
    """Record one submission, once per token: (attempt, created). A second submission
    with the same token, even at the same instant from another tab, hits the unique
    constraint and gets the first attempt back. A passing attempt with a name gets a
    certificate, rendered after commit.

    `issued_at` is when the form was handed out: a form issued before the session
    closed may still be sent for a while after (QuizSession.takes_answers). Raises
    SessionNotOpen, SessionBusy (the session's rate limit), ValidationError (answers
    that do not fit the quiz) or SessionFull (its cap on attempts).

    A paper sheet (`source` PAPER) was filled in the lesson and is read later: it is
    taken whenever it comes, and dated at the session's close if that has passed."""
    paper = source == AttemptSource.PAPER
    if not paper and not session.takes_answers(issued_at=issued_at):
        raise SessionNotOpen(session.state())
    if not paper and not ratelimit.hit(SUBMITS_PER_SESSION, "quiz-submit", str(session.pk)):
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
        source=source,
        correct_count=correct_count,
        question_count=len(questions),
        score=score,
        passed=score >= session.quiz.pass_mark,
    )
    if paper and session.closes_at and session.closes_at < attempt.submitted_at:
        attempt.submitted_at = session.closes_at
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


@transaction.atomic
def attempt_name_set(*, attempt: Attempt, name: str) -> Attempt:
    """Give a paper attempt the name staff typed from the sheet: a passing attempt then
    gets its certificate, as on the phone. A name already given stays (its certificate
    may be printed); erased names are not brought back."""
    name = name.strip()
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if not name or attempt.name or attempt.name_erased_at:
        return attempt
    attempt.name = name
    attempt.full_clean(exclude=["session", "school"], validate_unique=False,
                       validate_constraints=False)  # fmt: skip
    attempt.save(update_fields=["name"])
    if attempt.passed and not Certificate.objects.filter(attempt=attempt).exists():
        certificate = Certificate.objects.create(attempt=attempt)
        certificate_enqueue(certificate_id=certificate.pk)
    return attempt


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
