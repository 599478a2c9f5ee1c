import io
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from cms.models import Audience, Topic
from cms.roles import STAFF
from quizzes.models import Attempt, Certificate, Question
from tests.monitoring.reach_data import attempt
from tests.quizzes.factories import QuizSessionFactory
from tests.quizzes.qr_decode import decode_pdf_qr
from tests.schools.factories import SchoolFactory


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_scan_the_poster_answer_on_a_phone_and_verify_the_certificate(
    phone, live_server, public_site, settings, role_clients
):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    session = QuizSessionFactory(school=SchoolFactory(name="SMP Negeri 1 Penajam"))
    facilitator = role_clients(STAFF)

    # The facilitator prints the poster; the phone scans its QR code.
    poster = facilitator.get(f"/q/{session.code}/poster.pdf").content
    [quiz_url] = decode_pdf_qr(poster)
    assert quiz_url == f"{live_server.url}/q/{session.code}/"

    phone.goto(quiz_url)
    phone.get_by_label("Kelasmu").fill("8B")
    phone.get_by_label("Namamu untuk sertifikat").fill("Rina Sari")
    phone.get_by_label("Menyakiti berulang").check()
    phone.get_by_label("Mengejek terus").check()
    phone.get_by_label("Mengucilkan").check()
    phone.get_by_label("Salah").check()
    token = phone.locator("input[name=token]").get_attribute("value")
    # Double tap on the send button.
    phone.get_by_role("button", name="Kirim jawabanku").dblclick()
    phone.wait_for_url(f"**/q/{session.code}/hasil/**")
    result_url = phone.url
    assert phone.get_by_text("3 dari 3 benar").is_visible()
    # A retry after a dropped connection: the same form posted again.
    retry = phone.request.post(
        quiz_url,
        form={"token": token, "kelas": "8B", "nama": "Rina Sari", **answers(session.quiz)},
        max_redirects=0,
    )
    assert retry.status == 302 and retry.headers["location"] in result_url
    assert Attempt.objects.count() == 1

    # The certificate, then its QR code, on the phone.
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Unduh sertifikat (PDF)").click()
    pdf = Path(download.value.path()).read_bytes()
    assert "Rina Sari" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    [verify_url] = decode_pdf_qr(pdf)
    assert verify_url == f"{live_server.url}/v/{Certificate.objects.get().code}/"
    phone.goto(verify_url)
    assert phone.get_by_text("Sertifikat sah").is_visible()
    assert phone.get_by_text("R*** S***").is_visible()

    # The next student on the same phone gets an empty form.
    phone.goto(result_url)
    phone.get_by_role("button", name="Giliran berikutnya").click()
    assert phone.get_by_label("Namamu untuk sertifikat").input_value() == ""
    assert phone.locator("input[name=token]").get_attribute("value") != token


def answers(quiz) -> dict[str, str]:
    """The right answers; multiple choice as repeated fields is not expressible in a
    plain dict, so the retry sends the first right option (a wrong answer would not
    matter: the token already has its attempt)."""
    chosen = {}
    for question in quiz.questions.all():
        chosen[f"q{question.pk}"] = str(question.options.filter(is_correct=True).first().pk)
    return chosen


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_projector_counts_answers_without_reloading(desk, live_server):
    session = QuizSessionFactory()
    desk.goto(f"{live_server.url}/admin/quizzes/sessions/{session.pk}/projector/")
    expect(desk.get_by_text("0 jawaban masuk")).to_be_visible()
    desk.evaluate("window.stillTheSamePage = true")
    attempt(session, 80)
    # Fetched every 10 seconds, swapped in: the page itself stays.
    expect(desk.get_by_text("1 jawaban masuk")).to_be_visible(timeout=25_000)
    assert desk.evaluate("window.stillTheSamePage") is True


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_staff_write_a_true_false_question_by_choosing_its_answer(desk, live_server):
    desk.goto(live_server.url + "/admin/quizzes/quiz/new/")
    desk.locator("#id_title").fill("Kuis Melapor")
    # Topic and audience are choosers (a modal): their hidden inputs take the ids.
    for field, value in [
        ("topic", Topic.objects.get(slug="perundungan").pk),
        ("audience", Audience.objects.get(slug="siswa-smp").pk),
    ]:
        desk.locator(f"#id_{field}").evaluate("(input, value) => { input.value = value }", value)
    desk.locator("#id_questions-0-text").fill("Melapor sama dengan mengadu.")
    desk.locator("#id_questions-0-kind").select_option(label="Benar/Salah")
    desk.get_by_label("Salah", exact=True).check()
    desk.locator("#id_questions-0-explanation").fill("Melapor melindungi teman.")
    desk.locator("form button[type=submit].button-longrunning").click()
    desk.wait_for_url("**/admin/quizzes/quiz/")  # the list, saved

    question = Question.objects.get(quiz__title="Kuis Melapor")
    assert [(o.text, o.is_correct) for o in question.options.all()] == [
        ("Benar", False),
        ("Salah", True),
    ]
