"""The quiz tallies that the reach figures add up instead of reading every attempt:
refreshed for the days with new attempts or newly ready certificates, rebuilt whole
every night."""

import datetime as dt

import pytest
from django.db.models import Sum
from django.utils import timezone

from quizzes import tallies, tasks
from quizzes.models import Attempt, Certificate, CertificateStatus, QuizTally
from quizzes.results import attempt_figures, prepost_figures
from quizzes.selectors import attempts_in, quiz_tally_state
from tests.campaigns.factories import wita
from tests.monitoring.reach_data import YEAR, attempt

pytestmark = pytest.mark.django_db


def totals() -> dict:
    return QuizTally.objects.aggregate(
        attempts=Sum("attempts"), passed=Sum("passed"), certificates=Sum("certificates"),
        pairs=Sum("pairs"), pre=Sum("pre_score_sum"), post=Sum("post_score_sum"),
    )  # fmt: skip


def test_a_first_refresh_tallies_every_attempt_per_day_school_and_campaign(world):
    assert quiz_tally_state() is None
    assert tallies.quiz_tallies_refresh() == (dt.date(2026, 6, 3) - dt.date(2026, 3, 10)).days + 1
    assert quiz_tally_state().last_attempt_id == Attempt.objects.latest("pk").pk
    march = QuizTally.objects.get(day=dt.date(2026, 3, 10))
    assert (march.school, march.campaign) == (world.a, world.k1)
    assert (march.attempts, march.passed, march.score_sum, march.certificates) == (6, 2, 350, 1)
    assert (march.pairs, march.pre_score_sum, march.post_score_sum, march.improved) == (
        2, 110, 130, 1,
    )  # fmt: skip
    june = QuizTally.objects.get(day=dt.date(2026, 6, 3))
    assert (june.school, june.campaign, june.attempts) == (world.d, None, 1)


def test_the_tallies_add_up_to_the_quizzes_own_figures(world):
    tallies.quiz_tallies_refresh()
    attempts = attempts_in(starts_on=YEAR[0], ends_on=YEAR[1])
    own, pairs = attempt_figures(attempts), prepost_figures(attempts)
    sums = totals()
    assert (sums["attempts"], sums["passed"], sums["certificates"]) == (
        own["attempts"], own["passed"], own["certificates"],
    )  # fmt: skip
    assert sums["pairs"] == pairs["pairs"]
    assert sums["pre"] / sums["pairs"] == pairs["pre_mean"]
    assert sums["post"] / sums["pairs"] == pairs["post_mean"]


def test_a_day_is_a_wita_day(world):
    # 23:30 WITA on 3 June is 15:30 UTC on 3 June; 00:30 WITA on 4 June is 16:30 UTC on 3 June.
    attempt(world.standalone, 40, when=wita(2026, 6, 3, 23, 30))
    attempt(world.standalone, 40, when=wita(2026, 6, 4, 0, 30))
    tallies.quiz_tallies_refresh()
    days = dict(QuizTally.objects.filter(school=world.d).values_list("day", "attempts"))
    assert days == {dt.date(2026, 6, 3): 2, dt.date(2026, 6, 4): 1}


def test_later_refreshes_rebuild_only_the_days_with_something_new(world):
    tallies.quiz_tallies_refresh()
    march = QuizTally.objects.get(day=dt.date(2026, 3, 10))
    assert tallies.quiz_tallies_refresh() == 0  # nothing new
    attempt(world.standalone, 100, when=wita(2026, 6, 3, 11))
    assert tallies.quiz_tallies_refresh() == 1
    assert QuizTally.objects.get(day=dt.date(2026, 6, 3)).attempts == 2
    assert QuizTally.objects.get(day=dt.date(2026, 3, 10)).pk == march.pk  # untouched


def test_a_certificate_made_ready_later_is_counted(world):
    tallies.quiz_tallies_refresh()
    late = attempt(world.post, 90, device="d7")
    tallies.quiz_tallies_refresh()
    certificate = Certificate.objects.create(attempt=late)  # pending: not counted yet
    tallies.quiz_tallies_refresh()
    assert totals()["certificates"] == 2
    certificate.status = CertificateStatus.READY
    certificate.ready_at = timezone.now()
    certificate.save()
    tallies.quiz_tallies_refresh()
    assert totals()["certificates"] == 3


def test_the_nightly_rebuild_drops_deleted_attempts(world):
    tallies.quiz_tallies_refresh()
    world.standalone.delete()  # its attempt goes with it
    tallies.quiz_tallies_refresh()
    assert totals()["attempts"] == 7  # an incremental refresh cannot see a deletion
    tasks.quiz_tallies_refresh.delay(full=True).get()
    assert totals()["attempts"] == 6 == Attempt.objects.count()
    assert not QuizTally.objects.filter(day=dt.date(2026, 6, 3)).exists()


def test_a_pair_counts_on_its_post_test_day_even_with_the_pre_test_earlier(world):
    tallies.quiz_tallies_refresh()
    attempt(world.pre, 30, device="d8", when=wita(2026, 3, 1, 9))
    attempt(world.post, 90, device="d8", when=wita(2026, 3, 12, 9))
    tallies.quiz_tallies_refresh()
    later = QuizTally.objects.get(day=dt.date(2026, 3, 12))
    assert (later.pairs, later.pre_score_sum, later.post_score_sum, later.improved) == (
        1, 30, 90, 1,
    )  # fmt: skip
    assert QuizTally.objects.get(day=dt.date(2026, 3, 1)).pairs == 0


def test_with_no_attempt_there_is_nothing_to_refresh(db):
    assert tallies.quiz_tallies_refresh() == 0
    assert quiz_tally_state().refreshed_at is not None
