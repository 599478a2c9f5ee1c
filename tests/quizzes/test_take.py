"""A student takes a quiz: /q/<code>/ and the result page, with every bad input."""

import datetime
import re
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone
from limits import parse

from quizzes.models import Answer, Attempt, CertificateStatus
from quizzes.tokens import TOKEN_MAX_AGE
from tests.quizzes.conftest import form_token, open_form
from tests.quizzes.factories import QuizFactory, QuizSessionFactory, answers_for
from tests.schools.factories import SchoolFactory

# Submitting is what these tests are about, not what the certificate looks like.
pytestmark = pytest.mark.usefixtures("fake_certificate_pdf")


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_every_help_text_the_form_points_at_is_there(client, public_site, session):
    html = client.get(f"/q/{session.code}/").content.decode()
    described = re.findall(r'aria-describedby="([^"]+)"', html)
    # The class and name fields, and the multiple-choice question's "tick every…".
    assert len(described) == 3
    for ids in described:
        for id_ in ids.split():
            assert f'id="{id_}"' in html, id_


def test_form_asks_little_and_shows_help_and_privacy(client, public_site, session):
    response = client.get(f"/q/{session.code}/")
    html = text(response)
    assert response.status_code == 200
    assert "Kuis Perundungan" in html
    # Nothing about the student beyond class, optional gender and optional name.
    names = set(re.findall(r'<(?:input|select|textarea)[^>]* name="([^"]+)"', html))
    questions = {f"q{q.pk}" for q in session.quiz.questions.all()}
    assert names == {"token", "kelas", "jenis_kelamin", "nama", *questions}
    assert "12 bulan" in html  # how long names are kept
    assert 'href="tel:129"' in html
    assert response["Cache-Control"] == "no-store"


def test_code_is_case_insensitive_and_slash_is_optional(client, public_site, session):
    # One address per session, in capitals: the sent-answers cookie is limited to it.
    response = client.get(f"/q/{session.code.lower()}/")
    assert response.status_code == 301 and response["Location"] == f"/q/{session.code}/"
    response = client.get(f"/q/{session.code}")
    assert response.status_code == 301 and response["Location"] == f"/q/{session.code}/"


def test_passing_attempt_shows_score_explanations_and_certificate(take, client, session):
    response = take(session)
    assert response.status_code == 302
    result = client.get(response["Location"])
    html = text(result)
    attempt = Attempt.objects.get()
    assert (attempt.correct_count, attempt.question_count, attempt.score) == (3, 3, 100)
    assert attempt.passed and attempt.school == session.school and attempt.class_name == "8B"
    assert "3 dari 3 benar" in html and "100%" in html
    assert "Penjelasan 0" in html and "Penjelasan 2" in html
    assert attempt.certificate.status == CertificateStatus.READY  # eager in tests
    assert f"/sertifikat/{attempt.certificate.download_key}.pdf" in html
    assert "Giliran berikutnya" in html
    assert result["Cache-Control"].startswith("max-age=0")


def test_wrong_answers_are_marked_and_earn_no_certificate(take, client, session):
    response = take(session, right=1)
    html = text(client.get(response["Location"]))
    attempt = Attempt.objects.get()
    assert (attempt.correct_count, attempt.score, attempt.passed) == (1, 33, False)
    # The verdict, the student's answer and the right one each in their own words: on
    # a true/false item "Benar" is only ever an answer.
    assert html.count("✓</span> Jawabanmu tepat") == 1 and html.count("✗</span> Belum tepat") == 2
    assert "Kamu menjawab: <strong>Menyakiti berulang</strong>" in html
    assert "Kamu menjawab: <strong>Meminjam pulpen</strong>" in html
    assert "Jawaban yang tepat: <strong>Mengejek terus, Mengucilkan</strong>" in html
    assert "Kamu menjawab: <strong>Benar</strong></p>" in html
    assert "Jawaban yang tepat: <strong>Salah</strong>" in html
    assert html.count("Jawaban yang tepat:") == 2  # not under the right answer
    assert not hasattr(attempt, "certificate")
    assert "Kamu perlu 70% untuk lulus" in html
    assert list(Answer.objects.filter(attempt=attempt).values_list("is_correct", flat=True))


def test_multiple_choice_needs_every_right_option_and_nothing_else(take, client, session):
    multiple = session.quiz.questions.get(kind="multiple")
    right = [str(o.pk) for o in multiple.options.filter(is_correct=True)]
    take(session, **{f"q{multiple.pk}": right[:1]})
    assert Attempt.objects.get().correct_count == 2
    Attempt.objects.all().delete()
    everything = [str(o.pk) for o in multiple.options.all()]
    take(session, **{f"q{multiple.pk}": everything})
    assert Attempt.objects.get().correct_count == 2


def test_no_name_means_no_certificate_but_the_attempt_counts(take, client, session):
    response = take(session, nama="   ")
    attempt = Attempt.objects.get()
    assert attempt.passed and attempt.name == ""
    assert not hasattr(attempt, "certificate")
    assert "tidak ada sertifikat" in text(client.get(response["Location"]))


def test_double_submit_records_one_attempt_and_shows_the_same_result(client, public_site, session):
    form = client.get(f"/q/{session.code}/")
    data = {"token": form_token(form), "kelas": "8B", "nama": "Rina", **answers_for(session.quiz)}
    first = client.post(f"/q/{session.code}/", data)
    # A resubmit with other answers (back button, changed mind) still gets the first result.
    second = client.post(f"/q/{session.code}/", {**data, **answers_for(session.quiz, right=0)})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Attempt.objects.count() == 1
    assert Attempt.objects.get().score == 100


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_same_token_from_two_tabs_at_once_records_one_attempt(public_site):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need a server database; SQLite serialises them")
    session = QuizSessionFactory(school=SchoolFactory())
    form = Client().get(f"/q/{session.code}/")
    data = {"token": form_token(form), "kelas": "8B", "nama": "Rina", **answers_for(session.quiz)}
    barrier = threading.Barrier(4)
    locations = []

    def tab():
        try:
            barrier.wait()
            locations.append(Client().post(f"/q/{session.code}/", data)["Location"])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tab) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(locations)) == 1 and len(locations) == 4
    assert Attempt.objects.count() == 1
    assert Answer.objects.count() == 3


@pytest.mark.parametrize(
    "change, message",
    [
        ({"kelas": ""}, "Tulis kelasmu"),
        ({"kelas": "8B" * 20}, "Kelas terlalu panjang"),
        ({"nama": "R" * 500}, "Nama terlalu panjang: paling banyak 80 karakter"),
        ({"jenis_kelamin": "x"}, "Pilih salah satu pilihan"),
        ({"q{single}": "abc"}, "Pilih salah satu pilihan"),
        ({"q{single}": "999999"}, "Pilih salah satu pilihan"),
        ({"q{single}": ""}, "Jawab soal ini"),
        ({"q{multiple}": ["1", "x"]}, "Pilih salah satu pilihan"),
        ({"q{foreign}": "1"}, "soal yang tidak ada di kuis ini"),
    ],
)
def test_bad_input_re_renders_the_form_with_the_answers_kept(
    client, public_site, session, change, message
):
    other_quiz = QuizFactory(title="Kuis lain")
    single = session.quiz.questions.get(kind="single")
    multiple = session.quiz.questions.get(kind="multiple")
    foreign = other_quiz.questions.first()
    form = client.get(f"/q/{session.code}/")
    data = {"token": form_token(form), "kelas": "8B", "nama": "Rina Sari"}
    data.update(answers_for(session.quiz))
    ids = {"single": single.pk, "multiple": multiple.pk, "foreign": foreign.pk}
    data.update({key.format(**ids): value for key, value in change.items()})

    response = client.post(f"/q/{session.code}/", data)
    html = text(response)
    assert response.status_code == 200
    assert message in html
    assert Attempt.objects.count() == 0
    # What the student typed and chose is still there.
    kept_option = session.quiz.questions.get(kind="true_false").options.get(is_correct=True)
    assert re.search(rf'value="{kept_option.pk}"[^>]*checked', html)
    if "kelas" not in change:
        assert 'value="8B"' in html
    assert data["token"] in html  # same form, same one-time token


def test_a_question_missing_from_the_post_is_refused(client, public_site, session):
    form = client.get(f"/q/{session.code}/")
    data = {"token": form_token(form), "kelas": "8B", **answers_for(session.quiz)}
    del data[f"q{session.quiz.questions.first().pk}"]
    response = client.post(f"/q/{session.code}/", data)
    assert "Jawab soal ini" in text(response)
    assert Attempt.objects.count() == 0


def test_html_in_the_name_is_escaped(take, client, session):
    name = '<script>alert("x")</script><b>Rina</b>'
    result = client.get(take(session, nama=name)["Location"])
    assert Attempt.objects.get().name == name
    assert "<script>alert" not in result.content.decode()


def test_a_ten_megabyte_body_gets_a_friendly_413(client, public_site, session):
    response = client.post(
        f"/q/{session.code}/",
        {"kelas": "8B", "nama": "x" * (10 * 1024 * 1024)},
    )
    assert response.status_code == 413
    assert "Formulir terlalu besar" in text(response)
    assert Attempt.objects.count() == 0


def test_a_body_without_length_but_over_django_limits_gets_a_413(rf, session, settings):
    from quizzes.views import take

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    request = rf.post(f"/q/{session.code}/", {"nama": "x" * 5000})
    request.META["CONTENT_LENGTH"] = "10"  # a lying header
    assert take(request, session.code).status_code == 413


def test_a_garbled_content_length_is_refused_not_a_500(rf, session):
    from quizzes.views import take

    request = rf.post(f"/q/{session.code}/", {"kelas": "8B"})
    request.META["CONTENT_LENGTH"] = "banyak"
    assert take(request, session.code).status_code == 413


def test_thousands_of_fields_get_a_413(client, public_site, session, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 100
    data = {f"f{n}": "1" for n in range(500)}
    assert client.post(f"/q/{session.code}/", data).status_code == 413


def test_missing_or_forged_token_keeps_the_answers_and_issues_a_fresh_one(
    client, public_site, session
):
    other = QuizSessionFactory(quiz=QuizFactory(title="Lain"), school=session.school)
    other_token = form_token(client.get(f"/q/{other.code}/"))
    for token in ("", "bukan-token", other_token):
        data = {"token": token, "kelas": "8B", "nama": "Rina", **answers_for(session.quiz)}
        response = client.post(f"/q/{session.code}/", data)
        html = text(response)
        assert response.status_code == 200
        assert "Jawabanmu masih ada" in html
        assert 'value="Rina"' in html
        fresh = form_token(response)
        assert fresh and fresh != token
    assert Attempt.objects.count() == 0
    # The fresh token works.
    response = client.post(
        f"/q/{session.code}/", {"token": fresh, "kelas": "8B", **answers_for(session.quiz)}
    )
    assert response.status_code == 302 and Attempt.objects.count() == 1


def test_a_form_left_open_too_long_is_kept_and_can_be_sent_again(
    client, public_site, session, time_machine
):
    time_machine.move_to(timezone.now())
    form = client.get(f"/q/{session.code}/")
    data = {"token": form_token(form), "kelas": "8B", **answers_for(session.quiz)}
    time_machine.shift(datetime.timedelta(seconds=TOKEN_MAX_AGE + 60))
    response = client.post(f"/q/{session.code}/", data)
    assert "Jawabanmu masih ada" in text(response)
    data["token"] = form_token(response)
    assert client.post(f"/q/{session.code}/", data).status_code == 302


def test_stale_csrf_cookie_does_not_lose_the_answers(public_site, session):
    """The student form is CSRF-exempt on purpose (see quizzes/views.py): a form whose
    CSRF cookie is gone or stale still records the attempt, once."""
    client = Client(enforce_csrf_checks=True)
    form = client.get(f"/q/{session.code}/")
    client.cookies.clear()  # cookies blocked or expired on a shared phone
    client.cookies["csrftoken"] = "stale" * 6
    data = {
        "token": form_token(form),
        "csrfmiddlewaretoken": "x" * 64,
        "kelas": "8B",
        **answers_for(session.quiz),
    }
    response = client.post(f"/q/{session.code}/", data)
    assert response.status_code == 302
    assert Attempt.objects.count() == 1


def test_unknown_code_is_a_friendly_404_not_the_cms_page(client, public_site):
    for path in ("/q/TIDAKADA/", "/q/ab/", "/q/<script>/", "/q/" + "A" * 40 + "/"):
        response = client.get(path)
        assert response.status_code == 404
        html = text(response)
        assert "Kuis tidak ditemukan" in html or "Halaman tidak ditemukan" in html
    assert "Kuis tidak ditemukan" in text(client.get("/q/TIDAKADA/"))
    assert client.post("/q/TIDAKADA/", {"kelas": "8B"}).status_code == 404


def test_not_yet_open_and_closed_sessions_explain_themselves(client, public_site, quiz):
    now = timezone.now()
    soon = QuizSessionFactory(quiz=quiz, opens_at=now + datetime.timedelta(days=1))
    over = QuizSessionFactory(
        quiz=quiz,
        opens_at=now - datetime.timedelta(days=2),
        closes_at=now - datetime.timedelta(days=1),
    )
    response = client.get(f"/q/{soon.code}/")
    assert response.status_code == 403 and "Kuis belum dibuka" in text(response)
    assert "WITA" in text(response)
    response = client.get(f"/q/{over.code}/")
    assert response.status_code == 410 and "Kuis sudah ditutup" in text(response)
    response = client.post(f"/q/{over.code}/", {"kelas": "8B", **answers_for(quiz)})
    assert response.status_code == 410
    assert Attempt.objects.count() == 0


def test_a_student_who_started_before_closing_may_still_send(
    client, public_site, quiz, time_machine
):
    now = timezone.now()
    time_machine.move_to(now)
    session = QuizSessionFactory(
        quiz=quiz, school=SchoolFactory(), closes_at=now + datetime.timedelta(minutes=5)
    )
    form = client.get(f"/q/{session.code}/")
    data = {"token": form_token(form), "kelas": "8B", **answers_for(quiz)}
    time_machine.shift(datetime.timedelta(minutes=10))
    assert client.post(f"/q/{session.code}/", data).status_code == 302
    time_machine.shift(datetime.timedelta(hours=1))
    late_form_data = {**data, "token": form_token(form)}
    Attempt.objects.all().delete()
    assert client.post(f"/q/{session.code}/", late_form_data).status_code == 410


def test_cap_on_attempts_is_kept(client, public_site, quiz):
    session = QuizSessionFactory(quiz=quiz, school=SchoolFactory(), max_attempts=2)
    tokens = [form_token(client.get(f"/q/{session.code}/")) for _ in range(3)]
    statuses = [
        client.post(
            f"/q/{session.code}/", {"token": token, "kelas": "8B", **answers_for(quiz)}
        ).status_code
        for token in tokens
    ]
    assert statuses == [302, 302, 410]
    assert Attempt.objects.count() == 2
    # The first two still get their result when they send again.
    again = client.post(f"/q/{session.code}/", {"token": tokens[0], "kelas": "8B",
                                                 **answers_for(quiz)})  # fmt: skip
    assert again.status_code == 302


def test_retries_with_one_token_are_rate_limited_per_session_and_token(
    client, public_site, session, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    form = client.get(f"/q/{session.code}/")
    bad = {"token": form_token(form), "kelas": ""}
    statuses = [client.post(f"/q/{session.code}/", bad).status_code for _ in range(21)]
    assert statuses[:20] == [200] * 20 and statuses[20] == 429
    assert "Terlalu banyak percobaan" in text(client.post(f"/q/{session.code}/", bad))
    # Another student (another token) on the same connection is not affected.
    other = client.get(f"/q/{session.code}/")
    data = {"token": form_token(other), "kelas": "8B", **answers_for(session.quiz)}
    assert client.post(f"/q/{session.code}/", data).status_code == 302


def submit_new_form(client, session, **extra):
    form = open_form(client, session)
    data = {"token": form_token(form), "kelas": "8B", **answers_for(session.quiz)}
    return client.post(f"/q/{session.code}/", data, **extra)


def test_session_flood_is_limited_without_looking_at_the_ip(
    client, public_site, session, monkeypatch, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    monkeypatch.setattr("quizzes.services.SUBMITS_PER_SESSION", parse("3/minute"))
    statuses = [
        submit_new_form(client, session, REMOTE_ADDR=f"10.0.0.{n}").status_code for n in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]
    response = submit_new_form(client, session)
    assert response.status_code == 429
    assert "Banyak jawaban masuk bersamaan" in text(response)
    assert re.search(r'value="8B"', response.content.decode())  # the form, answers kept
    other = QuizSessionFactory(quiz=QuizFactory(title="Lain"), school=session.school)
    assert submit_new_form(client, other).status_code == 302


def test_a_window_across_a_minute_boundary_lets_no_more_than_the_limit_through(
    client, public_site, session, monkeypatch, time_machine
):
    monkeypatch.setattr("quizzes.services.SUBMITS_PER_SESSION", parse("3/minute"))
    start = timezone.now().replace(second=50, microsecond=0)
    time_machine.move_to(start, tick=False)
    assert [submit_new_form(client, session).status_code for _ in range(3)] == [302] * 3
    # 15 seconds later, in the next minute on the clock: still the same 60 seconds.
    time_machine.move_to(start + datetime.timedelta(seconds=15), tick=False)
    assert [submit_new_form(client, session).status_code for _ in range(3)] == [429] * 3
    # A minute after the first three, there is room again.
    time_machine.move_to(start + datetime.timedelta(seconds=61), tick=False)
    assert submit_new_form(client, session).status_code == 302
    assert Attempt.objects.count() == 4


def test_public_session_lets_the_student_choose_a_registry_school(take, client, quiz):
    smp = SchoolFactory(name="SMP Negeri 3 Penajam", level="smp")
    sd = SchoolFactory(name="SD Negeri 1 Penajam", level="sd")
    session = QuizSessionFactory(quiz=quiz)  # no school: public
    html = text(client.get(f"/q/{session.code}/"))
    assert "SMP Negeri 3 Penajam" in html and "SD Negeri 1 Penajam" not in html
    assert f'<optgroup label="{smp.district.name}">' in html
    response = take(session, sekolah="")
    assert "Pilih sekolahmu" in text(response)
    take(session, sekolah=str(smp.pk))
    assert Attempt.objects.get().school == smp
    take(session, sekolah="lain")
    assert Attempt.objects.filter(school__isnull=True).count() == 1
    response = take(session, sekolah=str(sd.pk))  # not offered for this quiz
    assert "Pilih salah satu pilihan" in text(response)


def test_device_cookie_is_random_and_carried_into_the_attempt(take, client, session):
    client.get(f"/q/{session.code}/")
    cookie = client.cookies["sa_perangkat"]
    assert re.fullmatch(r"[0-9a-f]{32}", cookie.value)
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    take(session)
    assert Attempt.objects.get().device_id == cookie.value


def test_result_of_an_unknown_token_is_404(client, public_site, session):
    assert client.get(f"/q/{session.code}/hasil/tidak-ada/").status_code == 404


def test_a_full_session_says_so_before_the_form(take, client, quiz):
    session = QuizSessionFactory(quiz=quiz, school=SchoolFactory(), max_attempts=1)
    take(session)
    response = Client().get(f"/q/{session.code}/")  # another phone
    assert response.status_code == 410 and "Kuis sudah penuh" in text(response)


def test_a_quiz_without_questions_records_nothing(client, public_site, school):
    from quizzes.models import Quiz

    quiz = QuizFactory()
    quiz.questions.all().delete()
    session = QuizSessionFactory(quiz=Quiz.objects.get(pk=quiz.pk), school=school)
    form = client.get(f"/q/{session.code}/")
    response = client.post(f"/q/{session.code}/", {"token": form_token(form), "kelas": "8B"})
    assert response.status_code == 200 and "Semua soal kuis harus dijawab" in text(response)
    assert Attempt.objects.count() == 0


@pytest.mark.parametrize(
    "body, content_type",
    [
        (
            b'--xx\r\nContent-Disposition: form-data; name="kelas"\r\n\r\n8B',
            "multipart/form-data; boundary=xx",
        ),
        (b"\xff\xfe=\xff&&==", "application/x-www-form-urlencoded"),
        (b'{"kelas": "8B"}', "application/json"),
    ],
)
def test_garbage_bodies_get_the_form_back(client, public_site, session, body, content_type):
    response = client.generic("POST", f"/q/{session.code}/", body, content_type=content_type)
    assert response.status_code == 200
    assert "Jawabanmu masih ada" in text(response)
    assert Attempt.objects.count() == 0
