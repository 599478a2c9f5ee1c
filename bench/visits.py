"""Calendar view and ICS feed with many visits, against a bare query listing the same
visits, in the same run.

    .venv/bin/python bench/visits.py              # SQLite (a throwaway test database)
    DATABASE_URL=postgres://... .venv/bin/python bench/visits.py

Scenarios: 500 visits in one month, and 1,000 spread over a year. Goals: the query
count does not grow with the number of visits; the feed takes at most 3x the baseline.
The feed is measured built from scratch (cache emptied before each run) and as phones
mostly get it (cached until a visit changes).
"""

import os
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")  # a throwaway test database, as `make test` runs

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from django.utils import timezone  # noqa: E402

RUNS = 7
# Goal: a feed built from scratch within 3x the bare query listing the same visits.
GOAL_RATIO = 3
WITA = timezone.get_default_timezone()


def measure(action, *, cold=False) -> tuple[float, int]:
    """(median milliseconds, queries of one run). Cold: the cache is emptied first."""
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        action()
    count = len(queries)  # now: each request resets Django's query log
    timings = []
    for _run in range(RUNS):
        if cold:
            cache.clear()
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings), count


def build_registry():
    from schools.models import District, Regency, School, Village

    regency = Regency.objects.create(code="64.09", name="Kabupaten Penajam Paser Utara")
    districts = [
        District.objects.create(code=f"64.09.0{n}", name=name, regency=regency)
        for n, name in enumerate(["Penajam", "Waru", "Babulu", "Sepaku"], start=1)
    ]
    schools = School.objects.bulk_create(
        School(
            npsn=f"{30400000 + n}",
            name=f"SD NEGERI {n:03d} {districts[n % 4].name.upper()}",
            level="sd",
            status="negeri",
            district=districts[n % 4],
            address=f"Jl. Contoh No. {n}",
        )
        for n in range(155)
    )
    villages = Village.objects.bulk_create(
        Village(code=f"64.09.0{n % 4 + 1}.{2000 + n}", name=f"Desa {n}", kind="desa",
                district=districts[n % 4])
        for n in range(54)
    )  # fmt: skip
    return schools, villages


def build_visits(campaign, schools, villages, staff, partners, *, count, first_day, days):
    from campaigns.models import Visit

    visits = Visit.objects.bulk_create(
        Visit(
            campaign=campaign,
            school=schools[n % len(schools)] if n % 4 else None,
            village=None if n % 4 else villages[n % len(villages)],
            starts_at=datetime.combine(first_day + timedelta(days=n % days), datetime.min.time(),
                                       tzinfo=WITA) + timedelta(hours=8 + n % 8),
            ends_at=datetime.combine(first_day + timedelta(days=n % days), datetime.min.time(),
                                     tzinfo=WITA) + timedelta(hours=10 + n % 8),
            status=["scheduled", "done", "requested", "cancelled"][n % 4],
            venue="Aula",
            contact_name="Bu Guru",
            contact_phone="0812 0000 0000",
        )
        for n in range(count)
    )  # fmt: skip
    Through = Visit.facilitators.through
    Through.objects.bulk_create(
        Through(visit_id=visit.pk, user_id=staff[(n + k) % len(staff)].pk)
        for n, visit in enumerate(visits)
        for k in range(2)
    )
    Partners = Visit.partners.through
    Partners.objects.bulk_create(
        Partners(visit_id=visit.pk, partneragency_id=partners[n % len(partners)].pk)
        for n, visit in enumerate(visits)
    )
    return visits


def scenario(name, *, count, days, registry, staff, partners, client):
    from campaigns import services
    from campaigns.models import Campaign, Visit

    schools, villages = registry
    today = timezone.localdate()
    first_day = (today.replace(day=1) + timedelta(days=32)).replace(day=1)  # next month
    campaign = Campaign.objects.create(
        name=name, starts_on=first_day, ends_on=first_day + timedelta(days=days)
    )
    build_visits(
        campaign, schools, villages, staff, partners, count=count, first_day=first_day, days=days
    )
    token = services.calendar_feed_create(by=staff[0], campaign=campaign)
    month_start = datetime.combine(first_day, datetime.min.time(), tzinfo=WITA)
    month_end = datetime.combine(
        (first_day + timedelta(days=32)).replace(day=1), datetime.min.time(), tzinfo=WITA
    )
    in_month = Visit.objects.filter(campaign=campaign, starts_at__gte=month_start,
                                    starts_at__lt=month_end)  # fmt: skip
    in_feed = Visit.objects.filter(campaign=campaign)

    def bare(queryset):
        return lambda: list(queryset.select_related("school", "village").order_by("starts_at"))

    def get(url):
        def action():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return action

    calendar_url = f"/admin/kunjungan/kalender/?bulan={first_day:%Y-%m}&kampanye={campaign.pk}"
    feed_url = f"/kalender/{token}.ics"
    rows = [
        ("calendar view", in_month.count(), measure(get(calendar_url)), measure(bare(in_month))),
        ("ICS, built", in_feed.count(), measure(get(feed_url), cold=True), measure(bare(in_feed))),
        ("ICS, cached", in_feed.count(), measure(get(feed_url)), measure(bare(in_feed))),
    ]  # fmt: skip
    print(f"\n{name}")
    print(f"  {'':14} {'visits':>6} {'ms':>8} {'queries':>7} {'baseline ms':>11} {'ratio':>6}")
    for label, visits, (ms, queries), (base_ms, _base_queries) in rows:
        print(f"  {label:14} {visits:>6} {ms:>8.1f} {queries:>7} {base_ms:>11.1f} "
              f"{ms / base_ms:>5.1f}x")  # fmt: skip
    queries = {label: queries for label, _visits, (_ms, queries), _base in rows}
    (built_ms, _queries), (bare_ms, _bare_queries) = rows[1][2], rows[1][3]
    return queries, built_ms / bare_ms


def main():
    setup_test_environment()
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        from campaigns.models import PartnerAgency
        from cms.roles import STAFF

        print(f"database: {connection.vendor}; median of {RUNS} runs after one warm-up")
        registry = build_registry()
        group = Group.objects.get(name=STAFF)
        staff = []
        for n in range(6):
            user = get_user_model().objects.create_user(f"staf{n}", first_name=f"Staf {n}")
            user.groups.add(group)
            staff.append(user)
        partners = list(PartnerAgency.objects.all())
        client = Client()
        client.force_login(staff[0])
        month, month_ratio = scenario("500 visits in one month", count=500, days=28,
                                      registry=registry, staff=staff, partners=partners,
                                      client=client)  # fmt: skip
        year, year_ratio = scenario("1,000 visits in a year", count=1000, days=365,
                                    registry=registry, staff=staff, partners=partners,
                                    client=client)  # fmt: skip
    finally:
        teardown_databases(databases, verbosity=0)
    goals = {
        "query counts the same for 500 and 1,000 visits": month == year,
        f"an ICS feed built within {GOAL_RATIO}x the bare query": max(month_ratio, year_ratio)
        <= GOAL_RATIO,
    }
    for goal, met in goals.items():
        print(f"  {'met   ' if met else 'MISSED'} {goal}")
    sys.exit(0 if all(goals.values()) else 1)


if __name__ == "__main__":
    main()
