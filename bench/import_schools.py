"""Benchmark: importing a 10,000-row Dapodik-style school file.

Prints, for a CSV and an XLSX file, the time and peak memory of the first import and of a
re-import where every row is unchanged, beside a baseline measured in the same run: a
bare `bulk_create` of the same rows, already built as model instances.

Goals: first import within 3x the baseline, re-import faster than the first import,
peak memory under 200 MB.

    .venv/bin/python bench/import_schools.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sa \
        .venv/bin/python bench/import_schools.py

It runs on a throwaway test database (a temporary file for SQLite, test_<name> for
PostgreSQL), never on the configured one. Times are the best of 3 runs in this process.
Memory is measured twice, apart from the timed runs: the peak of the Python allocations
the import makes (tracemalloc), and the peak resident size of a fresh
`manage.py import_schools FILE` process, Django and all, which is what the goal is about.
"""

import csv
import io
import os
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")  # a throwaway test database, as `make test` runs

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from schools.importing import ministry_for, parse_level  # noqa: E402
from schools.models import School, Village  # noqa: E402
from schools.regions import BUNDLED_REGIONS, region_import  # noqa: E402
from schools.services import school_import  # noqa: E402

ROWS = 10_000
# Goals: an import within 3x a bare bulk_create; the process under 200 MB at its peak.
GOAL_RATIO = 3
GOAL_MB = 200
RUNS = 3
HEADER = [
    "NPSN", "Nama Sekolah", "Bentuk Pendidikan", "Status Sekolah", "Alamat", "Desa/Kelurahan",
    "Kecamatan", "Lintang", "Bujur", "Kepala Sekolah", "Telepon", "Email", "PD Laki-laki",
    "PD Perempuan",
]  # fmt: skip
FORMS = ["SD"] * 6 + ["SMP"] * 2 + ["SMA", "SMK", "MI", "MTs", "TK", "SLB"]


def generate_rows() -> list[list[str]]:
    rng = random.Random(46)  # Permendikbudristek 46/2023
    villages = list(Village.objects.select_related("district"))
    rows = []
    for n in range(ROWS):
        village = rng.choice(villages)
        form = rng.choice(FORMS)
        rows.append(
            [
                f"{30500000 + n}",
                f"{form} NEGERI {n % 400 + 1:03d} {village.name.upper()}",
                form,
                rng.choice(["Negeri", "Negeri", "Swasta"]),
                f"Jl. Poros {rng.randint(1, 90)} RT {rng.randint(1, 30):03d}",
                f"Desa {village.name}" if village.kind == "desa" else f"Kel. {village.name}",
                village.district.name,
                f"{rng.uniform(-1.6, -0.8):.7f}",
                f"{rng.uniform(116.3, 117.0):.7f}",
                f"Kepala Sekolah {n}",
                f"0542{rng.randint(100000, 999999)}",
                f"sekolah{n}@example.sch.id",
                str(rng.randint(20, 400)),
                str(rng.randint(20, 400)),
            ]
        )
    return rows


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Daftar Satuan Pendidikan - Kabupaten Penajam Paser Utara"])
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(rows) -> bytes:
    # A normal (not write-only) workbook, so that it has a <dimension> as Excel writes it.
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sekolah"
    sheet.append(["Daftar Satuan Pendidikan - Kabupaten Penajam Paser Utara"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append([int(row[0]), *row[1:7], float(row[7]), float(row[8]), *row[9:12],
                      int(row[12]), int(row[13])])  # fmt: skip
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def instances(rows) -> list[School]:
    """The same rows as model instances, for the bare bulk_create."""
    villages = {
        (village.district.name, village.name): village
        for village in Village.objects.select_related("district")
    }
    schools = []
    for row in rows:
        village = villages[(row[6], row[5].split(" ", 1)[1])]
        level = parse_level(row[2])
        schools.append(
            School(
                npsn=row[0], name=row[1], level=level, education_form=row[2],
                status=row[3].lower(), ministry=ministry_for(row[2], level), address=row[4],
                district=village.district, village=village, latitude=round(float(row[7]), 6),
                longitude=round(float(row[8]), 6), headteacher=row[9], phone=row[10],
                email=row[11], students_male=int(row[12]), students_female=int(row[13]),
            )
        )  # fmt: skip
    return schools


def clear():
    School.objects.all().delete()


def timed(action, *, before=clear) -> float:
    best = float("inf")
    for _ in range(RUNS):
        before()
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def python_peak_mb(action, *, before=clear) -> float:
    """Peak of the Python allocations made by `action` (tracemalloc)."""
    before()
    tracemalloc.start()
    action()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / MB


# Run a manage.py command, then report the process's own peak resident size (VmHWM).
# Not the rusage of the child: Linux carries the forking parent's peak over into it.
MEASURE = """
import re, runpy, sys
sys.argv = ["manage.py", *sys.argv[1:]]
try:
    runpy.run_path("manage.py", run_name="__main__")
finally:
    status = open("/proc/self/status").read()
    sys.stderr.write("VmHWM " + re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1) + "\\n")
"""


def process_peak_mb(args: list[str], *, before=clear) -> float:
    """Peak resident size of a fresh `manage.py ...` process on the benchmark database:
    what a real import costs, Django and all."""
    before()
    connection.close()  # let the child have the (SQLite) database to itself
    child = subprocess.run(
        [sys.executable, "-c", MEASURE, *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url()},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
    )
    return int(child.stderr.rsplit("VmHWM ", 1)[1]) / 1024


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def import_file(data: bytes):
    def run():
        report = school_import(file=io.BytesIO(data))
        assert report.written and not report.has_errors, report.counts

    return run


def main():
    if connection.vendor == "sqlite":
        # A file, not memory, so that a separate import process can use it too.
        connection.settings_dict["TEST"]["NAME"] = str(Path(tempfile.mkdtemp()) / "bench.db")
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        with open(BUNDLED_REGIONS, "rb") as regions:
            region_import(file=regions)
        rows = generate_rows()
        files = {"CSV": csv_bytes(rows), "XLSX": xlsx_bytes(rows)}
        import_file(csv_bytes(rows[:10]))()  # warm up: translations, caches
        prepared = []

        def prepare():
            clear()
            prepared[:] = instances(rows)

        def baseline():
            School.objects.bulk_create(prepared)

        base_time = timed(baseline, before=prepare)
        base_peak = python_peak_mb(baseline, before=prepare)
        at_rest = process_peak_mb(["check"])
        print(f"{ROWS:,} schools on {connection.vendor}; times are the best of {RUNS} runs")
        print(f"{'':26}{'time':>8}{'Python peak':>13}{'process peak':>14}")
        print(f"{'baseline bulk_create':26}{base_time:7.2f}s{base_peak:10.1f} MB")
        print(f"{'Django process at rest':26}{'':8}{'':13}{at_rest:11.0f} MB")
        directory = Path(tempfile.mkdtemp())
        goals = {}
        for kind, data in files.items():
            path = directory / f"sekolah.{kind.lower()}"
            path.write_bytes(data)
            command = ["import_schools", str(path)]
            first = timed(import_file(data))
            first_peak = python_peak_mb(import_file(data))
            first_rss = process_peak_mb(command)
            again = timed(import_file(data), before=import_file(data))
            again_peak = python_peak_mb(import_file(data), before=import_file(data))
            again_rss = process_peak_mb(command, before=import_file(data))
            print(
                f"{kind + ' import':26}{first:7.2f}s{first_peak:10.1f} MB{first_rss:11.0f} MB"
                f"   {first / base_time:.1f}x baseline (goal <= {GOAL_RATIO}x)"
            )
            print(
                f"{kind + ' re-import, unchanged':26}{again:7.2f}s{again_peak:10.1f} MB"
                f"{again_rss:11.0f} MB   {again / first:.2f}x the import (goal < 1x)"
            )
            goals[f"{kind} import within {GOAL_RATIO}x the baseline"] = (
                first <= GOAL_RATIO * base_time
            )
            goals[f"{kind} re-import faster than the import"] = again < first
            goals[f"{kind} import process under {GOAL_MB} MB"] = max(first_rss, again_rss) < GOAL_MB
        sizes = {kind: f"{len(data) / MB:.1f} MB" for kind, data in files.items()}
        print(f"file sizes: CSV {sizes['CSV']}, XLSX {sizes['XLSX']}")
    finally:
        teardown_databases(old_config, verbosity=0)
    for goal, met in goals.items():
        print(f"  {'met   ' if met else 'MISSED'} {goal}")
    sys.exit(0 if all(goals.values()) else 1)


if __name__ == "__main__":
    main()
