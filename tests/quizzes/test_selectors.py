"""Result figures for the results pages, visits and the dashboard."""

import datetime

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from quizzes.models import Certificate
from quizzes.results import attempt_figures, prepost_figures, question_figures, school_figures
from quizzes.selectors import (
    attempts_in,
    sessions_for_visit,
    sessions_open,
    sessions_with_failed_certificates,
)
from tests.campaigns.factories import CampaignFactory, VisitFactory, wita
from tests.monitoring.reach_data import attempt
from tests.quizzes.conftest import form_token
from tests.quizzes.factories import QuizSessionFactory, answers_for
from tests.schools.factories import SchoolFactory


def submit(session, *, right, device=None, kelas="8B", nama="", school=""):
    client = Client()
    if device:
        client.cookies["sa_perangkat"] = device
    form = client.get(f"/q/{session.code}/")
    data = {"token": form_token(form), "kelas": kelas, "nama": nama, "sekolah": school}
    data.update(answers_for(session.quiz, right=right))
    assert client.post(f"/q/{session.code}/", data).status_code == 302


def test_figures_for_a_session(public_site, session):
    submit(session, right=3)
    submit(session, right=1)
    submit(session, right=0)
    figures = attempt_figures(attempts_in(session=session))
    assert figures["attempts"] == 3 and figures["passed"] == 1
    assert round(figures["pass_rate"], 1) == 33.3
    assert round(figures["mean_score"], 1) == round((100 + 33 + 0) / 3, 1)
    rates = {
        row["text"]: row["correct_rate"] for row in question_figures(attempts_in(session=session))
    }
    assert rates == {
        "Apa itu perundungan?": 200 / 3,
        "Mana yang perundungan?": 100 / 3,
        "Melapor sama dengan mengadu.": 100 / 3,
    }


def test_no_attempt_gives_empty_rates(db):
    figures = attempt_figures(attempts_in(starts_on=datetime.date(2020, 1, 1)))
    assert figures["attempts"] == 0 and figures["pass_rate"] is None
    assert prepost_figures(attempts_in())["mean_gain"] is None


def test_pre_and_post_pair_by_device_and_class(public_site, quiz):
    visit = VisitFactory()
    pre = QuizSessionFactory(quiz=quiz, visit=visit, kind="pre")
    post = QuizSessionFactory(quiz=quiz, visit=visit, kind="post")
    a, b, shared = "a" * 32, "b" * 32, "c" * 32
    submit(pre, right=1, device=a)
    submit(post, right=3, device=a)  # 33 -> 100: +67
    submit(pre, right=2, device=b)
    submit(post, right=1, device=b)  # 67 -> 33: -34
    # One phone, two students of 8B: cannot tell who is who, left out.
    submit(pre, right=0, device=shared)
    submit(pre, right=0, device=shared)
    submit(post, right=3, device=shared)
    # Same phone, another class: a different student, paired.
    submit(pre, right=0, device=shared, kelas="8C")
    submit(post, right=3, device=shared, kelas="8c")  # 0 -> 100: +100
    # A pre-test with no post-test.
    submit(pre, right=3, device="d" * 32)

    figures = prepost_figures(attempts_in(visit=visit))
    assert figures["pairs"] == 3
    assert round(figures["mean_gain"], 2) == round((67 - 34 + 100) / 3, 2)
    assert round(figures["improved_rate"], 1) == 66.7


def test_filters_by_period_school_district_and_campaign(public_site, quiz, time_machine):
    campaign = CampaignFactory()
    here, there = SchoolFactory(), SchoolFactory()
    visit = VisitFactory(campaign=campaign, school=here)
    time_machine.move_to(datetime.datetime(2026, 3, 10, 9, tzinfo=datetime.UTC))
    early = QuizSessionFactory(
        quiz=quiz, visit=visit, opens_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    )
    submit(early, right=3)
    time_machine.move_to(datetime.datetime(2026, 5, 10, 9, tzinfo=datetime.UTC))
    late = QuizSessionFactory(
        quiz=quiz, school=there, opens_at=datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC)
    )
    submit(late, right=0)
    march = attempts_in(starts_on=datetime.date(2026, 3, 1), ends_on=datetime.date(2026, 3, 31))
    assert march.count() == 1
    assert attempts_in(campaign=campaign).count() == 1
    assert attempts_in(school=there).count() == 1
    assert attempts_in(district=here.district).count() == 1
    assert attempts_in(quiz=quiz).count() == 2
    rows = {row["school__name"]: row["attempts"] for row in school_figures(attempts_in())}
    assert rows == {here.name: 1, there.name: 1}


def test_figures_cost_a_fixed_number_of_queries(public_site, quiz):
    visit = VisitFactory()
    sessions = [QuizSessionFactory(quiz=quiz, visit=visit, kind=kind) for kind in ("pre", "post")]

    def count_queries():
        attempts = attempts_in(visit=visit)
        with CaptureQueriesContext(connection) as queries:
            attempt_figures(attempts)
            question_figures(attempts)
            prepost_figures(attempts)
            school_figures(attempts)
            list(sessions_for_visit(visit))
        return len(queries)

    submit(sessions[0], right=1, device="a" * 32)
    few = count_queries()
    for n in range(6):
        submit(sessions[n % 2], right=n % 4, device=f"{n:032d}")
    assert count_queries() == few == 5


def test_sessions_for_visit_carry_their_figures(public_site, quiz):
    visit = VisitFactory()
    pre = QuizSessionFactory(quiz=quiz, visit=visit, kind="pre")
    QuizSessionFactory(quiz=quiz, visit=visit, kind="post")
    QuizSessionFactory(quiz=quiz)  # another visit's
    submit(pre, right=3)
    submit(pre, right=0)
    rows = {s.kind: (s.attempt_count, s.passed_count) for s in sessions_for_visit(visit)}
    assert rows == {"pre": (2, 1), "post": (0, 0)}


def test_sessions_open_now_newest_first_within_the_limit(db, quiz, time_machine):
    time_machine.move_to(wita(2026, 5, 5, 10), tick=False)
    closed = QuizSessionFactory(quiz=quiz, opens_at=wita(2026, 5, 4, 9),
                                closes_at=wita(2026, 5, 5, 10))  # fmt: skip
    later = QuizSessionFactory(quiz=quiz, opens_at=wita(2026, 5, 5, 10, 1))
    open_until_noon = QuizSessionFactory(quiz=quiz, opens_at=wita(2026, 5, 5, 9),
                                         closes_at=wita(2026, 5, 5, 12))  # fmt: skip
    never_closes = QuizSessionFactory(quiz=quiz, opens_at=wita(2026, 5, 1, 9))
    oldest = QuizSessionFactory(quiz=quiz, opens_at=wita(2026, 4, 1, 9))
    attempt(never_closes, 80)
    found = sessions_open(limit=2)
    assert found == [open_until_noon, never_closes]
    assert [session.attempt_count for session in found] == [0, 1]
    assert set(sessions_open(limit=10)) == {open_until_noon, never_closes, oldest}
    assert closed not in sessions_open(limit=10) and later not in sessions_open(limit=10)


def test_sessions_with_failed_certificates_count_only_the_failures(db, quiz):
    calm, troubled = QuizSessionFactory(quiz=quiz), QuizSessionFactory(quiz=quiz)
    for session, statuses in [(calm, ["ready", "pending"]), (troubled, ["failed"] * 2 + ["ready"])]:
        for status in statuses:
            made = attempt(session, 90, certificate=True)
            Certificate.objects.filter(attempt=made).update(status=status)
    [found] = sessions_with_failed_certificates(limit=10)
    assert (found, found.failed_count) == (troubled, 2)
