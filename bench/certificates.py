"""Certificates: 200 rendered through the project's code (the Celery task's service:
context, QR code, template, cms.pdf, storage, database) against the very same HTML
through bare WeasyPrint, interleaved in the same run; then a class-sized batch of 500
through the task on one worker, and the merged PDF that staff print.

    .venv/bin/python bench/certificates.py

Goals: median <= 1.3x bare; the 500-certificate batch within 45 s on one worker.
Creates and drops its own PostgreSQL database (BENCH_POSTGRES_URL); media in a
temporary folder.
"""

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.database import fresh_database  # noqa: E402

COMPARED = 200
BATCH = 500
WARM_UP = 5


def make_certificates(count: int, session) -> list[int]:
    from django.utils import timezone

    from quizzes.models import Attempt, Certificate

    first = Attempt.objects.count()
    attempts = Attempt.objects.bulk_create(
        Attempt(
            session=session,
            school=session.school,
            class_name="9A",
            name=f"Siswa Teladan Nomor {n} Binti Abdullah",
            token=f"bench-{first + n}",
            correct_count=8,
            question_count=8,
            score=100,
            passed=True,
            submitted_at=timezone.now(),
        )
        for n in range(count)
    )
    certificates = Certificate.objects.bulk_create(
        Certificate(attempt=attempt) for attempt in attempts
    )
    return [certificate.pk for certificate in certificates]


def main() -> None:
    media = tempfile.mkdtemp(prefix="bench-certificates-")
    with fresh_database("sa_bench_certificates") as database_url:
        os.environ.update(
            DATABASE_URL=database_url,
            DJANGO_MEDIA_ROOT=media,
            DJANGO_LOG_LEVEL="ERROR",
            DJANGO_SETTINGS_MODULE="cms.settings",
            DJANGO_DEBUG="1",  # a throwaway database, as `make test` runs
        )
        os.environ.pop("CELERY_BROKER_URL", None)  # the task runs here, as one worker
        import django

        django.setup()
        from django.db import connection
        from django.template.loader import render_to_string
        from django.utils import translation
        from pypdf import PdfWriter
        from weasyprint import HTML

        from quizzes import certificates, demo, services, tasks
        from quizzes.models import Certificate, QuizSession
        from schools.models import District, Regency, School

        demo.seed()
        regency = Regency.objects.create(code="64.09", name="Penajam Paser Utara")
        district = District.objects.create(code="64.09.01", name="Penajam", regency=regency)
        school = School.objects.create(
            npsn="30400001", name="SMP Negeri 1 Penajam", level="smp", status="negeri",
            district=district,
        )  # fmt: skip
        session = services.session_create(
            quiz=QuizSession.objects.get(code="DEMO").quiz, school=school
        )

        ids = make_certificates(COMPARED + WARM_UP, session)
        project, bare = [], []
        for index, certificate_id in enumerate(ids):
            # The same HTML the project renders, for bare WeasyPrint.
            certificate = Certificate.objects.select_related(
                "attempt__session__quiz", "attempt__school"
            ).get(pk=certificate_id)
            with translation.override("id"):
                html = render_to_string(
                    "quizzes/pdf/certificate.html", certificates.certificate_context(certificate)
                )
            started = time.perf_counter()
            HTML(string=html).write_pdf()
            bare_time = time.perf_counter() - started
            started = time.perf_counter()
            certificates.certificate_render(certificate_id=certificate_id)
            project_time = time.perf_counter() - started
            if index >= WARM_UP:
                bare.append(bare_time)
                project.append(project_time)
        ratio = statistics.median(project) / statistics.median(bare)

        batch_ids = make_certificates(BATCH, session)
        started = time.perf_counter()
        for certificate_id in batch_ids:
            tasks.certificate_render.apply(args=[certificate_id])
        batch_time = time.perf_counter() - started
        ready = Certificate.objects.filter(pk__in=batch_ids, status="ready").count()

        started = time.perf_counter()
        writer = PdfWriter()
        for certificate in Certificate.objects.filter(pk__in=batch_ids).order_by("pk"):
            with certificate.file.open("rb") as pdf:
                writer.append(io.BytesIO(pdf.read()))
        merged = io.BytesIO()
        writer.write(merged)
        merge_time = time.perf_counter() - started
        size = Certificate.objects.get(pk=batch_ids[0]).file.size
        connection.close()

    def ms(values):
        return f"median {1000 * statistics.median(values):6.1f} ms, " \
               f"p95 {1000 * sorted(values)[int(0.95 * len(values)) - 1]:6.1f} ms"  # fmt: skip

    print(f"{COMPARED} certificates, interleaved")
    print(f"  bare WeasyPrint, same HTML : {ms(bare)}")
    print(f"  project (task's service)   : {ms(project)}")
    print(f"  ratio of medians           : {ratio:.2f}x (one PDF: {size / 1024:.0f} KB)")
    print(f"{BATCH}-certificate batch on one worker: {batch_time:.1f} s ({ready} ready)")
    print(f"merged PDF of the batch: {merge_time:.1f} s, {len(merged.getvalue()) / 2**20:.1f} MB")
    goals = {
        "median <= 1.3x bare": ratio <= 1.3,
        f"{BATCH} certificates within 45 s": batch_time <= 45 and ready == BATCH,
    }
    for goal, met in goals.items():
        print(f"  {'met ' if met else 'MISSED'} {goal}")
    sys.exit(0 if all(goals.values()) else 1)


if __name__ == "__main__":
    main()
