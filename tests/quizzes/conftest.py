import io
import re

import pytest
from pypdf import PdfWriter

from tests.quizzes.factories import QuizFactory, QuizSessionFactory, answers_for
from tests.schools.factories import SchoolFactory

FAKE_PDF = b"%PDF-1.4\n% a stand-in certificate\n"


@pytest.fixture
def fake_certificate_pdf(monkeypatch):
    """Certificates get a tiny stand-in instead of a real PDF, for tests about what
    comes before them (WeasyPrint takes a while per certificate)."""
    monkeypatch.setattr("quizzes.certificates.certificate_pdf", lambda certificate: FAKE_PDF)


def one_page_pdf(certificate) -> bytes:
    """A real one-page PDF, fast to make, 200 points wide plus the certificate's attempt
    id: a merged PDF then tells which certificate each page is (see
    `certificate_attempts`)."""
    writer = PdfWriter()
    writer.add_blank_page(width=200 + certificate.attempt_id, height=100)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def one_page_certificates(monkeypatch):
    """Certificates as `one_page_pdf`s instead of WeasyPrint's."""
    monkeypatch.setattr("quizzes.certificates.certificate_pdf", one_page_pdf)


def certificate_attempts(reader) -> list[int]:
    """The attempt ids of the pages of a PDF merged from `one_page_pdf`s."""
    return [round(float(page.mediabox.width)) - 200 for page in reader.pages]


@pytest.fixture
def quiz(db):
    return QuizFactory()


@pytest.fixture
def session(quiz, school):
    return QuizSessionFactory(quiz=quiz, school=school)


@pytest.fixture
def school(db):
    return SchoolFactory(name="SMP Negeri 1 Penajam")


@pytest.fixture
def take(client, public_site, django_capture_on_commit_callbacks):
    """Open a session's form like a phone does and return a function that posts it
    with the token of that form (and runs what the submission queued after commit,
    like rendering the certificate)."""

    def open_and_submit(session, *, right=True, **fields):
        form = open_form(client, session)
        assert form.status_code == 200, form.content
        data = {"token": form_token(form), "kelas": "8B", "nama": "Rina Sari"}
        data.update(answers_for(session.quiz, right=right))
        data.update(fields)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"/q/{session.code}/", data)

    return open_and_submit


def form_token(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def open_form(client, session):
    """The quiz form as the next student on this phone gets it: a phone that sent
    answers to the session is shown its result until "Giliran berikutnya" is pressed."""
    form = client.get(f"/q/{session.code}/")
    if form.status_code == 302 and "/hasil/" in form["Location"]:
        client.post(f"/q/{session.code}/berikutnya/")
        form = client.get(f"/q/{session.code}/")
    return form
