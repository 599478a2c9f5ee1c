"""The quiz core without the web pages: grading, recording a submission and rendering
its certificate."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from limits import parse

from quizzes.certificates import certificate_render
from quizzes.models import Answer, Attempt, CertificateStatus, QuestionKind
from quizzes.selectors import quiz_questions
from quizzes.services import (
    SUBMITS_PER_TOKEN,
    SessionBusy,
    SessionFull,
    SessionNotOpen,
    TooManyTries,
    attempt_submit,
    grade,
    submission_admit,
)
from tests.downloads import pdf_text
from tests.quizzes.factories import QuizSessionFactory


def chosen(quiz, *, right: bool = True) -> dict[int, list[int]]:
    """{question id: option ids}: every question answered right, or every one wrong."""
    return {
        question.pk: [option.pk for option in question.options.all() if option.is_correct == right]
        for question in quiz_questions(quiz)
    }


def submit(session, token="first-form", **fields):  # noqa: S107 (not a password)
    fields.setdefault("class_name", "8B")
    fields.setdefault("answers", chosen(session.quiz))
    return attempt_submit(session=session, token=token, **fields)


@pytest.fixture
def questions(quiz):
    """{kind: question} of the default quiz."""
    return {question.kind: question for question in quiz_questions(quiz)}


def option_ids(question, *, correct: bool) -> list[int]:
    return [option.pk for option in question.options.all() if option.is_correct == correct]


def test_grade_single_and_true_false_need_the_one_right_option(questions):
    for kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE):
        question = questions[kind]
        right, wrong = option_ids(question, correct=True), option_ids(question, correct=False)
        assert grade([question], {question.pk: right}) == {question.pk: True}
        assert grade([question], {question.pk: wrong[:1]}) == {question.pk: False}


def test_grade_multiple_needs_every_right_option_and_nothing_else(questions):
    question = questions[QuestionKind.MULTIPLE]
    right, wrong = option_ids(question, correct=True), option_ids(question, correct=False)
    assert grade([question], {question.pk: list(reversed(right))}) == {question.pk: True}
    assert grade([question], {question.pk: right[:1]}) == {question.pk: False}
    assert grade([question], {question.pk: right + wrong}) == {question.pk: False}


def test_grade_counts_an_unanswered_question_wrong(questions):
    single, multiple = questions[QuestionKind.SINGLE], questions[QuestionKind.MULTIPLE]
    answers = {single.pk: []}
    assert grade([single, multiple], answers) == {single.pk: False, multiple.pk: False}


@pytest.mark.usefixtures("fake_certificate_pdf")
def test_a_submission_is_graded_and_recorded_with_its_answers(
    session, django_capture_on_commit_callbacks
):
    answers = chosen(session.quiz)
    first_question = next(iter(answers))
    answers[first_question] = []  # the first question left unanswered
    with django_capture_on_commit_callbacks(execute=True):
        attempt, created = submit(session, answers=answers, name="Rina Sari", device_id="d" * 32)
    assert created
    assert (attempt.correct_count, attempt.question_count, attempt.score) == (2, 3, 67)
    assert not attempt.passed and attempt.school == session.school
    assert not hasattr(attempt, "certificate")  # failed: no certificate
    recorded = dict(Answer.objects.filter(attempt=attempt).values_list("question_id", "is_correct"))
    assert recorded == {pk: pk != first_question for pk in answers}


def test_answers_that_do_not_fit_the_quiz_are_refused(session):
    answers = chosen(session.quiz)
    answers.popitem()
    with pytest.raises(ValidationError):
        submit(session, answers=answers)
    with pytest.raises(ValidationError):
        submit(session, class_name="")
    assert Attempt.objects.count() == 0


@pytest.mark.usefixtures("fake_certificate_pdf")
def test_one_token_records_one_attempt(session, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first, created = submit(session, name="Rina")
        again, created_again = submit(
            session, name="Budi", answers=chosen(session.quiz, right=False)
        )
    assert created and not created_again
    assert again == first and again.name == "Rina" and again.passed
    assert Attempt.objects.count() == 1
    first.certificate.refresh_from_db()
    assert first.certificate.status == CertificateStatus.READY


def test_the_cap_refuses_new_tokens_but_not_a_resubmission(quiz, school):
    session = QuizSessionFactory(quiz=quiz, school=school, max_attempts=1)
    first, _ = submit(session, token="first")
    with pytest.raises(SessionFull):
        submit(session, token="second")
    assert submit(session, token="first") == (first, False)
    assert Attempt.objects.count() == 1


def test_a_session_not_yet_open_takes_nothing(quiz):
    session = QuizSessionFactory(quiz=quiz, opens_at=timezone.now() + datetime.timedelta(days=1))
    with pytest.raises(SessionNotOpen) as refused:
        submit(session)
    assert refused.value.state == "not_yet_open"


def test_a_closed_session_takes_forms_issued_before_it_closed_for_half_an_hour(
    quiz, school, time_machine
):
    closes_at = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=1)
    session = QuizSessionFactory(quiz=quiz, school=school, closes_at=closes_at)
    before, after = (
        closes_at - datetime.timedelta(minutes=5),
        closes_at + datetime.timedelta(minutes=1),
    )
    time_machine.move_to(closes_at + datetime.timedelta(minutes=29), tick=False)
    assert submit(session, token="in-time", issued_at=before)[1]
    for token, issued_at in [("no-form", None), ("opened-late", after)]:
        with pytest.raises(SessionNotOpen) as refused:
            submit(session, token=token, issued_at=issued_at)
        assert refused.value.state == "closed"
    time_machine.move_to(closes_at + datetime.timedelta(minutes=31), tick=False)
    with pytest.raises(SessionNotOpen):
        submit(session, token="too-late", issued_at=before)
    assert Attempt.objects.count() == 1


def test_the_session_limit_refuses_a_flood_for_a_minute(session, monkeypatch, time_machine):
    monkeypatch.setattr("quizzes.services.SUBMITS_PER_SESSION", parse("2/minute"))
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    submit(session, token="a")
    submit(session, token="b")
    with pytest.raises(SessionBusy):
        submit(session, token="c")
    time_machine.move_to(start + datetime.timedelta(seconds=61), tick=False)
    assert submit(session, token="c")[1]


def test_admitting_a_form_counts_its_tries(session, time_machine):
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    issued_at = start - datetime.timedelta(minutes=1)
    for _ in range(SUBMITS_PER_TOKEN.amount):
        assert submission_admit(session=session, token="t", issued_at=issued_at) is None
    with pytest.raises(TooManyTries):
        submission_admit(session=session, token="t", issued_at=issued_at)
    # Another form of the same session is not affected; nor is this one ten minutes on.
    assert submission_admit(session=session, token="u", issued_at=issued_at) is None
    time_machine.move_to(start + datetime.timedelta(minutes=10, seconds=1), tick=False)
    assert submission_admit(session=session, token="t", issued_at=issued_at) is None


def test_admitting_a_form_after_closing_gives_back_its_recorded_attempt(quiz, school, time_machine):
    closes_at = timezone.now() + datetime.timedelta(minutes=5)
    session = QuizSessionFactory(quiz=quiz, school=school, closes_at=closes_at)
    issued_at = timezone.now()
    attempt, _ = submit(session, token="sent", issued_at=issued_at)
    time_machine.move_to(closes_at + datetime.timedelta(hours=1))
    assert submission_admit(session=session, token="sent", issued_at=issued_at) == attempt
    with pytest.raises(SessionNotOpen):
        submission_admit(session=session, token="never-sent", issued_at=issued_at)
    with pytest.raises(SessionNotOpen):
        submission_admit(session=session, token=None, issued_at=None)


def test_certificate_render_makes_the_pdf_once(session, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # render here, not on commit
        attempt, _ = submit(session, name="Rina Sari")
    certificate = attempt.certificate
    assert certificate.status == CertificateStatus.PENDING and not certificate.file

    certificate_render(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.READY and certificate.ready_at
    content = certificate.file.read()
    assert content.startswith(b"%PDF") and "Rina Sari" in pdf_text(content)

    file_name, ready_at = certificate.file.name, certificate.ready_at
    certificate_render(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    assert (certificate.file.name, certificate.ready_at) == (file_name, ready_at)
    assert certificate.file.read() == content


def test_certificate_render_skips_an_erased_name(session, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        attempt, _ = submit(session, name="Rina Sari")
    Attempt.objects.filter(pk=attempt.pk).update(name="", name_erased_at=timezone.now())
    certificate_render(certificate_id=attempt.certificate.pk)
    attempt.certificate.refresh_from_db()
    assert attempt.certificate.status == CertificateStatus.PENDING
    assert not attempt.certificate.file
