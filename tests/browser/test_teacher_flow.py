import io
from pathlib import Path

import pytest
from django.test import Client
from pypdf import PdfReader

from quizzes.models import Attempt
from quizzes.teacher import teacher_link_create
from tests.quizzes.conftest import certificate_attempts, form_token, one_page_pdf
from tests.quizzes.factories import QuizSessionFactory, answers_for
from tests.schools.factories import SchoolFactory


def answer(session, *, right=True, **fields):
    """One student sends the quiz from a phone of their own."""
    phone = Client()
    data = {"token": form_token(phone.get(session.path)), **fields}
    phone.post(session.path, {**data, **answers_for(session.quiz, right=right)})


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_teacher_reads_the_class_results_and_prints_the_certificates_on_a_phone(
    phone, live_server, public_site, monkeypatch
):
    monkeypatch.setattr("quizzes.certificates.certificate_pdf", one_page_pdf)
    session = QuizSessionFactory(school=SchoolFactory(name="SMP Negeri 1 Penajam"))
    answer(session, kelas="8B", nama="Rina Sari")
    answer(session, kelas="8B", nama="Budi Santoso", right=2)
    answer(session, kelas="8A", nama="Muhammad Rizky Pratama Wijaya")
    link = teacher_link_create(session=session)

    phone.goto(live_server.url + link.path)
    students = phone.locator("#per-siswa")
    for name in ("Rina Sari", "Budi Santoso", "Muhammad Rizky Pratama Wijaya"):
        assert students.get_by_text(name).is_visible()
    budi = students.locator("tr", has_text="Budi Santoso")
    assert budi.locator("td").nth(1).inner_text() == "8B"
    assert budi.locator("td").nth(2).inner_text() == "67%"
    # Both tables fit the 360 px screen: nothing to scroll sideways.
    for table in ("#per-soal", "#per-siswa"):
        box = phone.locator(table).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, table

    phone.locator('form[action$="/sertifikat/"] button').click()
    phone.wait_for_url(f"**{link.path}sertifikat/")
    with phone.expect_download() as download:
        phone.locator('a[href$="/sertifikat.pdf"]').click()
    pdf = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    # The two who passed with a name, class 8A first.
    passed = Attempt.objects.filter(passed=True).order_by("class_name")
    assert certificate_attempts(pdf) == [attempt.pk for attempt in passed]
    assert download.value.suggested_filename == f"sertifikat-{session.code}.pdf"
