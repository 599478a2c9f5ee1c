"""One phone shared by a class, in Chromium with its back-forward cache on (as on
phones) and off: answers sent once count once, the form is checked in Indonesian,
and after "Giliran berikutnya" nothing of the student before is reachable."""

import pytest
from playwright.sync_api import expect

from quizzes.models import Attempt
from tests.browser.conftest import BFCACHE_OFF, BFCACHE_ON
from tests.quizzes.factories import QuizSessionFactory
from tests.schools.factories import SchoolFactory

BOTH_CACHE_MODES = pytest.mark.parametrize("browser", [BFCACHE_ON, BFCACHE_OFF], indirect=True)
SEND = "Kirim jawabanku"
NEXT = "Giliran berikutnya"
RIGHT_ANSWERS = ("Menyakiti berulang", "Mengejek terus", "Mengucilkan", "Salah")


@pytest.fixture
def quiz_url(live_server, public_site, monkeypatch):
    # What the certificate looks like is not the point here; that it is linked is.
    monkeypatch.setattr("quizzes.certificates.certificate_pdf", lambda certificate: b"%PDF-1.4\n")
    session = QuizSessionFactory(school=SchoolFactory(name="SMP Negeri 1 Penajam"))
    return f"{live_server.url}{session.path}"


def answer(phone, *, kelas="8B", name="Rina Sari", answers=RIGHT_ANSWERS):
    phone.get_by_label("Kelasmu").fill(kelas)
    phone.get_by_label("Namamu untuk sertifikat").fill(name)
    for label in answers:
        phone.get_by_label(label, exact=True).check()


def back(phone):
    # A page restored from the back-forward cache fires no load event: wait for the
    # navigation to commit, then for what the page should show.
    phone.go_back(wait_until="commit")


def prove_cache_mode(phone, live_server, mode):
    """The mode is what it claims: Back to an ordinary page comes from memory (no
    request) with the cache on, from the server with it off."""
    navigations = []
    phone.on("request", lambda r: r.is_navigation_request() and navigations.append(r.url))
    phone.goto(f"{live_server.url}/")
    phone.goto(f"{live_server.url}/materi/")
    navigations.clear()
    back(phone)
    expect(phone).to_have_url(f"{live_server.url}/")
    expect(phone.locator("h1")).to_be_visible()
    assert (navigations == []) == (mode == BFCACHE_ON), navigations


def shows_nothing_of_rina(phone):
    expect(phone.get_by_role("button", name=SEND)).to_be_visible()  # an empty form
    html = phone.content()
    assert "Rina" not in html and "3 dari 3" not in html and "/sertifikat/" not in html
    assert phone.get_by_label("Namamu untuk sertifikat").input_value() == ""
    assert phone.get_by_label("Kelasmu").input_value() == ""
    for label in RIGHT_ANSWERS:
        assert not phone.get_by_label(label, exact=True).is_checked()


@BOTH_CACHE_MODES
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_back_after_sending_shows_the_result_and_no_form_to_send_again(
    phone, live_server, quiz_url, request
):
    prove_cache_mode(phone, live_server, request.node.callspec.params["browser"])
    phone.goto(quiz_url)
    answer(phone)
    phone.get_by_role("button", name=SEND).click()
    expect(phone.get_by_text("3 dari 3 benar")).to_be_visible()
    result_url = phone.url

    back(phone)
    expect(phone.get_by_text("Jawabanmu sudah terkirim.")).to_be_visible()
    expect(phone.get_by_text("3 dari 3 benar")).to_be_visible()
    expect(phone.get_by_role("button", name=NEXT)).to_be_visible()
    assert phone.url == result_url
    assert phone.get_by_role("button", name=SEND).count() == 0
    phone.reload()
    expect(phone.get_by_role("button", name=NEXT)).to_be_visible()
    phone.goto(quiz_url)  # the address typed again, or the poster scanned again
    expect(phone.get_by_role("button", name=NEXT)).to_be_visible()
    assert phone.get_by_role("button", name=SEND).count() == 0
    assert Attempt.objects.count() == 1


@BOTH_CACHE_MODES
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_after_next_student_back_and_history_show_nothing_of_the_one_before(
    phone, live_server, quiz_url, request
):
    prove_cache_mode(phone, live_server, request.node.callspec.params["browser"])
    phone.goto(quiz_url)
    answer(phone)
    phone.get_by_role("button", name=SEND).click()
    expect(phone.get_by_role("link", name="Unduh sertifikat (PDF)")).to_be_visible()
    result_url = phone.url

    phone.get_by_role("button", name=NEXT).click()
    expect(phone).to_have_url(quiz_url)
    shows_nothing_of_rina(phone)
    back(phone)  # to the result
    shows_nothing_of_rina(phone)
    back(phone)  # to Rina's form
    shows_nothing_of_rina(phone)
    phone.go_forward(wait_until="commit")
    shows_nothing_of_rina(phone)
    phone.goto(result_url)  # picked from the browser's history
    shows_nothing_of_rina(phone)

    # The next student sends their own answers, counted apart.
    answer(phone, kelas="8C", name="Budi")
    phone.get_by_role("button", name=SEND).click()
    expect(phone.get_by_text("3 dari 3 benar")).to_be_visible()
    assert sorted(Attempt.objects.values_list("name", flat=True)) == ["Budi", "Rina Sari"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_missing_answer_gets_an_indonesian_message_and_keeps_every_answer(phone, quiz_url):
    phone.goto(quiz_url)
    answer(phone, kelas="", answers=RIGHT_ANSWERS[:3])  # no class, question 3 unanswered
    phone.get_by_role("button", name=SEND).click()
    expect(phone.get_by_text("Tulis kelasmu, misalnya 8B.")).to_be_visible()
    expect(phone.get_by_text("Jawab soal ini.")).to_be_visible()
    assert phone.get_by_label("Namamu untuk sertifikat").input_value() == "Rina Sari"
    for label in RIGHT_ANSWERS[:3]:
        assert phone.get_by_label(label, exact=True).is_checked()
    assert Attempt.objects.count() == 0
