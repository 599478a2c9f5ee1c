"""The quiz tallies (models.QuizTally): the attempts summed per day, place and
campaign, which the reach figures add up instead of reading every attempt.

`quiz_tallies_refresh` is their only writer. Beat runs it every few minutes for the
days with new attempts or newly ready certificates, and every night over all days.
"""

from datetime import date

from django.db import transaction
from django.db.models import Count, F, Max, Min, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from cms.district import district_zone
from cms.localtime import day_bounds, local_date, month_spans
from quizzes.models import (
    AttemptSource,
    CertificateStatus,
    QuizTally,
    QuizTallyRefresh,
    SessionKind,
)
from quizzes.results import prepost_pairs
from quizzes.selectors import attempts_in


def quiz_tallies_refresh(*, full: bool = False) -> int:
    """Rebuild the tallies of the days with attempts or ready certificates that are
    new since the last refresh, from the earliest such day to the latest; every day
    when `full` (the nightly run, which also drops the days of deleted attempts).
    Returns the number of days rebuilt. Runs that overlap wait for each other on the
    QuizTallyRefresh row."""
    QuizTallyRefresh.objects.get_or_create(pk=1)
    with transaction.atomic():
        state = QuizTallyRefresh.objects.select_for_update().get(pk=1)
        started = timezone.now()
        attempts = attempts_in()
        newest = attempts.aggregate(newest=Max("pk"))["newest"] or 0
        if full or state.refreshed_at is None:
            QuizTally.objects.all().delete()
            span = attempts.aggregate(first=Min("submitted_at"), last=Max("submitted_at"))
        else:
            span = _dirty_span(attempts, state)
        days = 0
        if span["first"] is not None:
            first, last = local_date(span["first"]), local_date(span["last"])
            QuizTally.objects.filter(day__range=(first, last)).delete()
            # Month by month, to bound a full rebuild's memory.
            for month_first, month_last in month_spans(first, last):
                QuizTally.objects.bulk_create(_tallies(month_first, month_last), batch_size=2000)
            days = (last - first).days + 1
        state.last_attempt_id = max(newest, state.last_attempt_id)
        state.refreshed_at = started
        state.save()
    return days


def _dirty_span(attempts, state: QuizTallyRefresh) -> dict:
    """Earliest and latest submission among the attempts added, or certified, since
    the last refresh (two index-backed queries)."""
    bounds = {"first": Min("submitted_at"), "last": Max("submitted_at")}
    new = attempts.filter(pk__gt=state.last_attempt_id).aggregate(**bounds)
    certified = attempts.filter(certificate__ready_at__gte=state.refreshed_at).aggregate(**bounds)
    firsts = [moment for moment in (new["first"], certified["first"]) if moment]
    lasts = [moment for moment in (new["last"], certified["last"]) if moment]
    return {"first": min(firsts, default=None), "last": max(lasts, default=None)}


def _tallies(first: date, last: date) -> list[QuizTally]:
    """The tallies of the days [first, last] (local), built from the attempts in two
    queries: sums per day, place and campaign, and the pre/post pairs."""
    local_day = TruncDate("submitted_at", tzinfo=district_zone())
    attempts = attempts_in().filter(submitted_at__range=day_bounds(first, last))
    tallies: dict[tuple, QuizTally] = {}

    def tally(day, school_id, village_id, campaign_id) -> QuizTally:
        # A student who named a school counts there, even at a village session.
        key = (day, school_id, None if school_id else village_id, campaign_id)
        if key not in tallies:
            tallies[key] = QuizTally(
                day=day, school_id=key[1], village_id=key[2], campaign_id=campaign_id
            )
        return tallies[key]

    sums = (
        attempts.values(
            d=local_day,
            s=F("school_id"),
            v=F("session__visit__village_id"),
            c=F("session__visit__campaign_id"),
        )
        .annotate(
            attempts=Count("pk"),
            paper=Count("pk", filter=Q(source=AttemptSource.PAPER)),
            passed=Count("pk", filter=Q(passed=True)),
            score_sum=Sum("score"),
            certificates=Count(
                "certificate", filter=Q(certificate__status=CertificateStatus.READY)
            ),
        )
        .order_by()
    )
    for row in sums:
        row_tally = tally(row["d"], row["s"], row["v"], row["c"])
        row_tally.attempts += row["attempts"]
        row_tally.paper += row["paper"]
        row_tally.passed += row["passed"]
        row_tally.score_sum += row["score_sum"] or 0
        row_tally.certificates += row["certificates"]

    # A pair counts on the day, place and campaign of its post-test, and its pre-test
    # may be on an earlier day: pair every attempt of the visits with a post-test here.
    posts = attempts.filter(session__kind=SessionKind.POST, session__visit__isnull=False)
    paired = attempts_in().filter(session__visit__in=posts.values("session__visit_id"))
    for (pre_score, *_pre), (post_score, day, school_id, village_id, campaign_id) in prepost_pairs(
        paired, local_day, "school_id", "session__visit__village_id", "session__visit__campaign_id"
    ):
        if first <= day <= last:
            pair = tally(day, school_id, village_id, campaign_id)
            pair.pairs += 1
            pair.pre_score_sum += pre_score
            pair.post_score_sum += post_score
            pair.improved += post_score > pre_score
    return list(tallies.values())
