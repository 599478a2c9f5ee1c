"""A phone that sent answers keeps them as sent until "Giliran berikutnya": reloading
the quiz shows the result, not a fresh form, and after the button nothing of the
student before is shown on it. The browser side (Back, history, the back-forward
cache) is in tests/browser/test_shared_phone.py."""

import re

import pytest
from django.test import Client

from quizzes.models import Attempt
from quizzes.tokens import sent_mark
from quizzes.views import SENT_COOKIE, SENT_COOKIE_AGE
from tests.quizzes.conftest import form_token
from tests.quizzes.factories import QuizFactory, QuizSessionFactory, answers_for

pytestmark = pytest.mark.usefixtures("fake_certificate_pdf")


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_phone_that_sent_answers_gets_its_result_back_not_a_fresh_form(take, client, session):
    result_url = take(session)["Location"]
    for _ in range(2):  # Back, reload, the address typed again
        again = client.get(f"/q/{session.code}/")
        assert again.status_code == 302 and again["Location"] == result_url
    result = text(client.get(result_url))
    assert "Jawabanmu sudah terkirim" in result and "3 dari 3 benar" in result
    assert f'action="/q/{session.code}/berikutnya/"' in result
    assert 'name="token"' not in result
    assert Attempt.objects.count() == 1


def test_the_sent_cookie_holds_a_signed_token_for_this_session_only(take, client, session):
    take(session, nama="Rina Sari", kelas="VIII Melati")
    cookie = client.cookies[SENT_COOKIE]
    attempt = Attempt.objects.get()
    assert cookie.value == sent_mark(session, attempt.token)
    assert "Rina" not in cookie.value and "Melati" not in cookie.value
    assert cookie["path"] == f"/q/{session.code}/"
    assert cookie["max-age"] == SENT_COOKIE_AGE
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    # Another session on the same phone still gives its form.
    other = QuizSessionFactory(quiz=QuizFactory(title="Lain"), school=session.school)
    assert client.get(f"/q/{other.code}/").status_code == 200


@pytest.mark.parametrize("value", ["", "bukan-tanda", "{other}", "{unknown}"])
def test_a_forged_or_foreign_cookie_gets_a_fresh_form(client, public_site, session, value):
    other = QuizSessionFactory(quiz=session.quiz, school=session.school)
    client.cookies[SENT_COOKIE] = value.format(
        other=sent_mark(other, "abc"), unknown=sent_mark(session, "tidak-ada")
    )
    response = client.get(f"/q/{session.code}/")
    assert response.status_code == 200 and form_token(response)


def test_next_student_forgets_the_answers_and_hands_out_a_clean_form(take, client, session):
    first_form = client.get(f"/q/{session.code}/")
    result_url = take(session, nama="Rina Sari")["Location"]
    pressed = client.post(f"/q/{session.code}/berikutnya/")
    assert pressed.status_code == 302 and pressed["Location"] == f"/q/{session.code}/"
    assert client.cookies[SENT_COOKIE].value == ""
    fresh = client.get(pressed["Location"])
    html = fresh.content.decode()
    assert fresh.status_code == 200 and fresh["Cache-Control"] == "no-store"
    assert form_token(fresh) != form_token(first_form)
    assert "Rina Sari" not in html and 'value="8B"' not in html
    assert not re.search(r'name="q\d+"[^>]*checked', html)
    # Back or history to the result: nothing of the student before.
    back = client.get(result_url)
    assert back.status_code == 302 and back["Location"] == f"/q/{session.code}/"
    assert "no-store" in back["Cache-Control"]
    followed = text(client.get(result_url, follow=True))
    assert "Rina" not in followed and "3 dari 3" not in followed and "sertifikat/" not in followed


def test_the_result_is_shown_only_to_the_phone_that_sent_it(take, client, session):
    result_url = take(session)["Location"]
    other_phone = Client()
    other_phone.get(f"/q/{session.code}/")  # a phone that keeps cookies: its device cookie
    assert other_phone.get(result_url)["Location"] == f"/q/{session.code}/"
    # A browser that keeps no cookies cannot be told from another: it sees the result its
    # address names, as it did before the cookie, or it could never see its result.
    assert Client().get(result_url).status_code == 200


def test_the_same_form_sent_after_next_student_still_counts_once(client, public_site, session):
    form = client.get(f"/q/{session.code}/")
    data = {"token": form_token(form), "kelas": "8B", **answers_for(session.quiz)}
    first = client.post(f"/q/{session.code}/", data)
    client.post(f"/q/{session.code}/berikutnya/")
    second = client.post(f"/q/{session.code}/", data)
    assert second["Location"] == first["Location"]
    assert Attempt.objects.count() == 1


def test_next_student_takes_a_post_only_and_an_existing_code(client, public_site, session):
    assert client.get(f"/q/{session.code}/berikutnya/").status_code == 405
    assert client.post("/q/TIDAKADA/berikutnya/").status_code == 404


def test_a_result_whose_attempt_is_gone_gives_a_fresh_form(take, client, session):
    take(session)
    Attempt.objects.all().delete()
    response = client.get(f"/q/{session.code}/")
    assert response.status_code == 200 and form_token(response)


def test_the_form_is_checked_by_the_server_in_indonesian_not_by_the_browser(
    client, public_site, session
):
    form = client.get(f"/q/{session.code}/")
    assert re.search(r'<form method="post"[^>]* novalidate', form.content.decode())
    data = {"token": form_token(form), "kelas": "", **answers_for(session.quiz)}
    del data[f"q{session.quiz.questions.first().pk}"]
    html = text(client.post(f"/q/{session.code}/", data))
    assert "Tulis kelasmu" in html and "Jawab soal ini" in html
    assert re.search(r'<form method="post"[^>]* novalidate', html)
    ticked = [value for key, values in data.items() if key.startswith("q")
              for value in (values if isinstance(values, list) else [values])]  # fmt: skip
    for value in ticked:
        assert re.search(rf'value="{value}"[^>]*checked', html)


def test_the_browser_brings_nothing_back_into_the_form(client, public_site, session):
    html = client.get(f"/q/{session.code}/").content.decode()
    assert re.search(r'<form method="post"[^>]* autocomplete="off"', html)
