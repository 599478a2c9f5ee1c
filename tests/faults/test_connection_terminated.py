"""Fault injection on PostgreSQL: the database ends a connection in the middle of a
transaction (pg_terminate_backend from a second connection, as a restart or a proxy
would). Nothing is counted twice and no certificate file is left without its row."""

import contextlib
import datetime
import os

import psycopg
import pytest
from django.db import OperationalError, connection

from quizzes import certificates
from quizzes.models import Answer, Attempt, Certificate, CertificateStatus
from tests.quizzes.conftest import FAKE_PDF, form_token
from tests.quizzes.factories import QuizSessionFactory, answers_for
from tests.quizzes.test_services import submit
from tests.schools.factories import SchoolFactory


@pytest.fixture
def postgresql(transactional_db, django_db_serialized_rollback):
    if connection.vendor != "postgresql":
        # The PostgreSQL pass of CI runs these; on SQLite there is no server to cut off.
        pytest.skip("terminating connections needs PostgreSQL")


@pytest.fixture(autouse=True)
def _small_pdf(monkeypatch):
    monkeypatch.setattr("quizzes.certificates.certificate_pdf", lambda certificate: FAKE_PDF)


@contextlib.contextmanager
def connection_terminated_at(statement: str):
    """The first query starting with `statement` finds its connection terminated by
    the server, inside whatever transaction it is in."""
    terminated = []

    def terminate_then_execute(execute, sql, params, many, context):
        if not terminated and sql.startswith(statement):
            terminated.append(sql)
            settings = connection.settings_dict
            pid = connection.connection.info.backend_pid
            with psycopg.connect(
                dbname=settings["NAME"], user=settings["USER"], password=settings["PASSWORD"],
                host=settings["HOST"], port=settings["PORT"] or 5432, autocommit=True,
            ) as other:  # fmt: skip
                other.execute("SELECT pg_terminate_backend(%s)", [pid])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(terminate_then_execute):
        yield terminated


def certificate_files(settings) -> list[str]:
    folder = settings.MEDIA_ROOT / "sertifikat"
    return sorted(os.listdir(folder)) if folder.exists() else []


@pytest.mark.usefixtures("postgresql")
def test_a_submission_whose_connection_ends_mid_transaction_is_stored_once(
    client, public_site, settings
):
    session = QuizSessionFactory(school=SchoolFactory())
    form = client.get(f"/q/{session.code}/")
    data = {"token": form_token(form), "kelas": "8B", "nama": "Rina Sari"}
    with connection_terminated_at('INSERT INTO "quizzes_certificate"') as terminated:
        response = client.post(f"/q/{session.code}/", {**data, **answers_for(session.quiz)})
    assert terminated, "the connection was never terminated: nothing was tested"
    assert response.status_code == 302
    assert Attempt.objects.count() == 1
    assert Answer.objects.count() == session.quiz.questions.count()
    certificate = Certificate.objects.get()
    assert certificate.status == CertificateStatus.READY
    assert certificate_files(settings) == [os.path.basename(certificate.file.name)]


@pytest.mark.usefixtures("postgresql")
def test_a_certificate_whose_commit_fails_leaves_no_file_and_renders_on_the_retry(
    public_site, settings, monkeypatch
):
    monkeypatch.setattr("quizzes.services.certificate_enqueue", lambda certificate_id: None)
    attempt, _created = submit(QuizSessionFactory(school=SchoolFactory()), name="Rina Sari")
    certificate = Certificate.objects.get(attempt=attempt)

    with (
        connection_terminated_at('UPDATE "quizzes_certificate"') as terminated,
        pytest.raises(OperationalError),
    ):
        certificates.certificate_render(certificate_id=certificate.pk)
    assert terminated
    assert certificate_files(settings) == []  # the PDF with the child's name went too
    connection.close()  # as the worker does after a failed task

    certificates.certificate_render(certificate_id=certificate.pk)  # the task's retry
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.READY
    assert certificate_files(settings) == [os.path.basename(certificate.file.name)]


def test_the_sweep_deletes_certificate_files_without_a_row(
    db, public_site, settings, time_machine, django_capture_on_commit_callbacks
):
    now = datetime.datetime(2026, 5, 4, 9, 0, tzinfo=datetime.UTC)
    time_machine.move_to(now, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        attempt, _created = submit(QuizSessionFactory(school=SchoolFactory()), name="Rina Sari")
    kept = Certificate.objects.get(attempt=attempt)
    folder = settings.MEDIA_ROOT / "sertifikat"
    for name, age in [
        (os.path.basename(kept.file.name), datetime.timedelta(days=30)),
        ("left-by-a-killed-worker.pdf", datetime.timedelta(hours=2)),
        ("about-to-be-committed.pdf", datetime.timedelta(minutes=10)),
    ]:
        (folder / name).write_bytes(FAKE_PDF)
        os.utime(folder / name, ((now - age).timestamp(),) * 2)

    assert certificates.certificate_files_delete_orphans() == 1
    assert certificate_files(settings) == sorted(
        ["about-to-be-committed.pdf", os.path.basename(kept.file.name)]
    )
    assert certificates.certificate_files_delete_orphans() == 0
