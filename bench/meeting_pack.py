"""The coordination meeting pack at scale: the Celery job's work (figures, map, lists
and the PDF), timed and its queries counted at two sizes of the registry and the quiz
attempts, each with 200 open follow-up actions.

    .venv/bin/python bench/meeting_pack.py      # 1,000 / 100,000 then 10,000 / 1,000,000
    .venv/bin/python bench/meeting_pack.py --sizes 200:2000,1000:10000   # a quick run

Each size gets its own PostgreSQL database (BENCH_POSTGRES_URL, sa_bench_meeting_pack),
filled with `seed_load`, then VACUUM ANALYZE as autovacuum would; a bare count over the
attempts is measured in the same run as the baseline.

Goals: the pack within 10 s at every size, and the same number of queries at every
size (so it does not grow with the schools or the attempts). Exits non-zero otherwise.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dashboard import setup_django, timed  # noqa: E402
from bench.database import fresh_database  # noqa: E402

GOAL_S = 10
OPEN_ACTIONS = 200
DEFAULT_SIZES = "1000:100000,10000:1000000"


def measure(database_url: str) -> dict:
    """In a child process (Django is set up once per process): load the actions, build
    the pack once to warm up, then once measured."""
    setup_django(database_url)
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from campaigns.models import PartnerAgency
    from cms.pdf import html_to_pdf
    from monitoring import pack, services
    from monitoring.models import FollowUpAction, MeetingPack
    from quizzes.models import Attempt
    from quizzes.tallies import quiz_tallies_refresh
    from schools.models import School

    staff = _staff()
    quiz_tallies_refresh(full=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    now = timezone.now()
    earlier = services.meeting_create(by=staff, held_at=now - timedelta(days=90), place="Aula")
    meeting = services.meeting_create(by=staff, held_at=now, place="Aula")
    agencies = list(PartnerAgency.objects.all())
    today = timezone.localdate()
    for number in range(OPEN_ACTIONS):
        services.action_create(
            meeting=earlier, by=staff, what=f"Tindak lanjut {number + 1}",
            agency=agencies[number % len(agencies)], due_on=today + timedelta(days=number - 100),
        )  # fmt: skip

    def build() -> None:
        MeetingPack.objects.filter(meeting=meeting).delete()
        row = MeetingPack.objects.create(meeting=meeting, requested_by=staff)
        pack.meeting_pack_render(pack_id=row.pk)

    build()  # warm-up: fonts, templates, the map's shapes
    queries = []
    with connection.execute_wrapper(
        lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)
    ):
        seconds = timed(build) / 1000
    # Where the time goes: the figures and lists, the HTML, WeasyPrint.
    html = pack.pack_html(meeting)
    phases = {
        "figures": timed(lambda: pack.pack_context(meeting)) / 1000,
        "figures + HTML": timed(lambda: pack.pack_html(meeting)) / 1000,
        "pdf": timed(lambda: html_to_pdf(html)) / 1000,
    }
    return {
        "phases": phases,
        "schools": School.objects.count(),
        "attempts": Attempt.objects.count(),
        "actions": FollowUpAction.objects.filter(status__in=["not_started", "in_progress"]).count(),
        "baseline_ms": timed(Attempt.objects.count),
        "seconds": seconds,
        "queries": len(queries),
        "pdf_kb": MeetingPack.objects.get(meeting=meeting).file.size / 1024,
    }


def _staff():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from cms.roles import STAFF

    user, _created = get_user_model().objects.get_or_create(username="bench-staff")
    user.groups.add(Group.objects.get(name=STAFF))
    return user


def run_size(schools: int, attempts: int) -> dict:
    with fresh_database("sa_bench_meeting_pack") as database_url:
        env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_DEBUG": "1"}
        subprocess.run(
            [sys.executable, "manage.py", "seed_load", "--schools", str(schools),
             "--attempts", str(attempts)],
            cwd=ROOT, env=env, check=True,
        )  # fmt: skip
        output = subprocess.run(
            [sys.executable, __file__, "--measure", database_url],
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="schools:attempts,...")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    results = []
    for size in args.sizes.split(","):
        schools, attempts = (int(part) for part in size.split(":"))
        started = time.perf_counter()
        result = run_size(schools, attempts)
        result["load_s"] = time.perf_counter() - started - result["seconds"]
        results.append(result)
    print(f"\nMeeting pack (PDF, {OPEN_ACTIONS} open actions), PostgreSQL")
    for r in results:
        print(f"  {r['schools']:>7,} schools, {r['attempts']:>9,} attempts: "
              f"{r['seconds']:5.2f} s, {r['queries']} queries, {r['pdf_kb']:.0f} KB "
              f"(count(*) {r['baseline_ms']:.1f} ms; loaded in {r['load_s']:.0f} s)")  # fmt: skip
        print("    of which " + ", ".join(f"{name} {s:.2f} s" for name, s in r["phases"].items()))
    goals = {
        f"the pack within {GOAL_S} s at every size": all(r["seconds"] <= GOAL_S for r in results),
        "the same number of queries at every size": len({r["queries"] for r in results}) == 1,
        f"{OPEN_ACTIONS} open actions at every size": all(
            r["actions"] == OPEN_ACTIONS for r in results
        ),
    }
    for goal, met in goals.items():
        print(f"  {'met   ' if met else 'MISSED'} {goal}")
    sys.exit(0 if all(goals.values()) else 1)


if __name__ == "__main__":
    main()
