"""The reach dashboard and its exports at scale, against a plain count over the attempts
table measured in the same run.

    .venv/bin/python bench/dashboard.py                       # 10,000 schools, 1,000,000 attempts
    .venv/bin/python bench/dashboard.py --schools 1000 --attempts 100000
    .venv/bin/python bench/dashboard.py --database-url postgres://...   # already loaded

Creates and drops its own PostgreSQL database (BENCH_POSTGRES_URL, database
sa_bench_dashboard), fills it with `seed_load`, then VACUUM ANALYZE as autovacuum would.

Goals: the dashboard within 5x the baseline and under 300 ms, also for the first request
of a process (after cms/wsgi.py's warm-up); an export's peak memory under 100 MB.
"cold": the cache emptied before each request, so the figures are
gathered afresh; "warm": the figures come from the cache (the data did not change);
"first" is the first request of the process; "a class just submitted" is beat's refresh
of the quiz tallies right after 30 new attempts (the page itself never refreshes them).

Export memory is measured twice: the Python heap's peak (tracemalloc) while the export
runs, and the peak resident size of a process that does nothing but that one export,
minus that of the same process doing a bare count instead.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.database import fresh_database  # noqa: E402

RUNS = 9
GOAL_RATIO = 5
GOAL_MS = 300
GOAL_MB = 100


def setup_django(database_url: str) -> None:
    # Production-like: DEBUG off (no query log), plain static files (bench.settings).
    os.environ.update(
        DATABASE_URL=database_url,
        DJANGO_LOG_LEVEL="ERROR",
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",  # noqa: S106
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_ALLOWED_HOSTS="testserver",
    )
    os.environ.pop("CELERY_BROKER_URL", None)
    import django

    django.setup()


def staff_client():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from cms.roles import STAFF

    user, _created = get_user_model().objects.get_or_create(username="bench-staff")
    user.groups.add(Group.objects.get(name=STAFF))
    client = Client()
    client.force_login(user)
    return client


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def median_ms(action, cold: bool = False) -> float:
    """Median of RUNS runs; cold: the cache emptied before each run."""
    from django.core.cache import cache

    def run():
        if cold:
            cache.clear()
        return timed(action)

    return statistics.median(run() for _run in range(RUNS))


def get(client, url: str):
    def action():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if response.streaming:
            for _chunk in response.streaming_content:
                pass

    return action


def submit_a_class(size: int = 30) -> None:
    """A class takes the post-test of an existing session: attempts the tallies lack."""
    from django.utils import timezone

    from quizzes.models import Attempt, QuizSession

    session = QuizSession.objects.filter(kind="post").order_by("-pk").first()
    stamp = time.time_ns()
    Attempt.objects.bulk_create(
        Attempt(session=session, school_id=session.school_id, class_name="9A",
                token=f"bench{stamp}{n}"[:32], correct_count=8, question_count=10, score=80,
                passed=True, submitted_at=timezone.now())
        for n in range(size)
    )  # fmt: skip


def measure_export_process(kind: str, database_url: str) -> None:
    """Run in a child process: one export (or, for "baseline", a bare count) and print
    the process's peak resident size in KB."""
    setup_django(database_url)
    client = staff_client()
    if kind == "baseline":
        from quizzes.models import Attempt

        Attempt.objects.count()
        client.get("/admin/")
    else:
        get(client, f"/admin/jangkauan/jangkauan.{kind}")()
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def child_peak_kb(kind: str, database_url: str) -> int:
    output = subprocess.run(
        [sys.executable, __file__, "--export-process", kind, "--database-url", database_url],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return int(output.strip().splitlines()[-1])


def measure(database_url: str) -> dict:
    setup_django(database_url)
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection

    from cms.localtime import this_year
    from cms.warmup import warm_up
    from monitoring.models import ReachReport
    from monitoring.reports import reach_report_pdf
    from monitoring.selectors import reach
    from quizzes.models import Attempt
    from quizzes.tallies import quiz_tallies_refresh
    from schools.models import District

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    client = staff_client()
    penajam = District.objects.get(code="64.09.01").pk
    urls = {
        "dashboard": "/admin/jangkauan/",
        "one kecamatan": f"/admin/jangkauan/?kecamatan={penajam}",
        "kecamatan + SMP": f"/admin/jangkauan/?kecamatan={penajam}&jenjang=smp",
    }
    starts_on, ends_on = this_year()
    warm_up()  # as cms/wsgi.py does when gunicorn starts a worker
    result = {
        "attempts": Attempt.objects.count(),
        "baseline_first": timed(Attempt.objects.count),
        "first": timed(get(client, urls["dashboard"])),
        "baseline": median_ms(Attempt.objects.count),
    }
    result["rows"] = [
        (name, median_ms(get(client, url), cold=True), median_ms(get(client, url)))
        for name, url in urls.items()
    ]
    submit_a_class()
    result["stale"] = timed(quiz_tallies_refresh)
    result["queries"] = {}
    for state in ("cold", "warm"):
        if state == "cold":
            cache.clear()
        queries = []
        with connection.execute_wrapper(
            lambda execute, sql, *args, queries=queries: queries.append(sql) or execute(sql, *args)
        ):
            get(client, urls["dashboard"])()
        result["queries"][state] = len(queries)
    result["figures"] = median_ms(lambda: reach(starts_on=starts_on, ends_on=ends_on))
    result["rebuild"] = timed(lambda: quiz_tallies_refresh(full=True)) / 1000
    requester = get_user_model().objects.get(username="bench-staff")
    report = ReachReport(filters={}, with_facilitators=True, requested_by=requester)
    result["pdf"] = timed(lambda: reach_report_pdf(report)) / 1000
    result["heap"] = {}
    for kind in ("xlsx", "csv"):
        tracemalloc.start()
        get(client, f"/admin/jangkauan/jangkauan.{kind}")()
        result["heap"][kind] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    connection.close()
    result["bare_mb"] = child_peak_kb("baseline", database_url) / 1024
    result["rss"] = {kind: child_peak_kb(kind, database_url) / 1024 for kind in result["heap"]}
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=10_000)
    parser.add_argument("--attempts", type=int, default=1_000_000)
    parser.add_argument(
        "--database-url", help="measure this already loaded database instead of a fresh one"
    )
    parser.add_argument("--export-process", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_process:
        measure_export_process(args.export_process, args.database_url)
        return
    load_s = None
    if args.database_url:
        result = measure(args.database_url)
    else:
        with fresh_database("sa_bench_dashboard") as database_url:
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "manage.py", "seed_load", "--schools", str(args.schools),
                 "--attempts", str(args.attempts)],
                cwd=ROOT, env={**os.environ, "DATABASE_URL": database_url, "DJANGO_DEBUG": "1"},
                check=True,
            )  # fmt: skip
            load_s = time.perf_counter() - started
            result = measure(database_url)
    report(result, load_s)


def report(r: dict, load_s: float | None) -> None:
    loaded = f" (seed_load: {load_s:.0f} s)" if load_s else ""
    print(f"\nPostgreSQL, {r['attempts']:,} attempts{loaded}; median of {RUNS} runs")
    print(f"  baseline, count(*) over the attempts : {r['baseline']:7.1f} ms "
          f"(first {r['baseline_first']:.1f})")  # fmt: skip
    print(f"  dashboard, first request             : {r['first']:7.1f} ms")
    print(f"  {'':37}  {'cold':>7}  {'':15}  {'warm':>7}")
    for name, cold, warm in r["rows"]:
        print(f"  {name:<37}: {cold:7.1f} ms {cold / r['baseline']:4.1f}x baseline, "
              f"{warm:7.1f} ms {warm / r['baseline']:4.1f}x")  # fmt: skip
    print(f"  quiz tallies, a class just submitted : {r['stale']:7.1f} ms (beat's refresh)")
    print(f"  dashboard queries                    : {r['queries']['cold']} cold, "
          f"{r['queries']['warm']} warm")  # fmt: skip
    print(f"  figures alone (monitoring.selectors) : {r['figures']:7.1f} ms")
    print(f"  quiz tallies, full rebuild (nightly) : {r['rebuild']:7.1f} s")
    print(f"  PDF report (a Celery task)           : {r['pdf']:7.1f} s")
    bare = r["bare_mb"]
    for kind, heap in r["heap"].items():
        rss = r["rss"][kind]
        label = f"{kind.upper()} export, peak memory"
        print(f"  {label:<37}: {heap:7.1f} MB Python heap; whole process peak RSS "
              f"{rss:.0f} MB (a bare request's: {bare:.0f} MB)")  # fmt: skip
    dashboard_ms = max(cold for _name, cold, _warm in r["rows"])
    export_mb = max(*r["heap"].values(), *(rss - bare for rss in r["rss"].values()))
    goals = {
        f"dashboard within {GOAL_RATIO}x the baseline, cold": dashboard_ms
        <= GOAL_RATIO * r["baseline"],
        f"dashboard under {GOAL_MS} ms, cold": dashboard_ms < GOAL_MS,
        f"first request of a process under {GOAL_MS} ms": r["first"] < GOAL_MS,
        f"export memory under {GOAL_MB} MB": export_mb < GOAL_MB,
    }
    for goal, met in goals.items():
        print(f"  {'met   ' if met else 'MISSED'} {goal}")
    sys.exit(0 if all(goals.values()) else 1)


if __name__ == "__main__":
    main()
