"""Staff screens: authoring, sessions, projector, QR and poster, results and exports."""

import io
import re

import pytest
from django.contrib.auth.models import Permission
from openpyxl import load_workbook
from pypdf import PdfReader
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from cms.models import Audience, Topic
from cms.roles import STAFF
from quizzes.admin_views import session_tools
from quizzes.models import Attempt, Option, Question, Quiz, QuizSession
from quizzes.services import session_create
from tests.campaigns.factories import VisitFactory
from tests.downloads import csv_rows, pdf_text
from tests.quizzes.factories import QuizFactory, QuizSessionFactory
from tests.quizzes.qr_decode import decode_pdf_qr, decode_png
from tests.schools.factories import SchoolFactory


@pytest.fixture
def staff(role_clients):
    return role_clients(STAFF)


def question(text, kind, options, explanation="Karena begitu.", answer=""):
    return {
        "text": text,
        "kind": kind,
        "true_false_answer": answer,
        "explanation": explanation,
        "options": inline_formset(
            [{"text": option, "is_correct": correct} for option, correct in options]
        ),
    }


def quiz_post(questions, title="Kuis Baru"):
    return nested_form_data(
        {
            "title": title,
            "introduction": "Halo",
            "topic": Topic.objects.get(slug="perundungan").pk,
            "audience": Audience.objects.get(slug="siswa-smp").pk,
            "pass_mark": 70,
            "questions": inline_formset(questions),
        }
    )


def test_staff_author_a_quiz_with_nested_questions_and_options(staff):
    response = staff.post(
        "/admin/quizzes/quiz/new/",
        quiz_post(
            [
                question(
                    "Apa itu perundungan?",
                    "single",
                    [("Menyakiti berulang", True), ("Bercanda", False)],
                ),
                question("Melapor itu mengadu.", "true_false", [], answer="Salah"),
                question("Mana yang benar?", "multiple", [("A", True), ("B", True), ("C", False)]),
            ]
        ),  # fmt: skip
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    quiz = Quiz.objects.get(title="Kuis Baru")
    assert [q.text for q in quiz.questions.all()] == [
        "Apa itu perundungan?",
        "Melapor itu mengadu.",
        "Mana yang benar?",
    ]
    assert Option.objects.filter(question__quiz=quiz, is_correct=True).count() == 4
    # The true/false question got its two options by itself, the chosen one right.
    true_false = quiz.questions.get(kind="true_false")
    assert [(o.text, o.is_correct) for o in true_false.options.all()] == [
        ("Benar", False),
        ("Salah", True),
    ]


def test_question_kinds_are_named_as_teachers_name_them(staff):
    html = staff.get("/admin/quizzes/quiz/new/").content.decode()
    assert "Pilihan ganda (satu jawaban benar)" in html
    assert "Pilihan ganda kompleks (beberapa jawaban benar)" in html
    assert "Benar/Salah" in html
    assert "Jawaban yang benar (soal Benar/Salah)" in html
    assert "Jawaban yang benar" in html and "Pilihan tunggal" not in html


def test_a_true_false_question_keeps_its_options_when_its_answer_changes(staff, quiz):
    true_false = quiz.questions.get(kind="true_false")
    benar, salah = true_false.options.all()
    form = staff.get(f"/admin/quizzes/quiz/edit/{quiz.pk}/").content.decode()
    checked = re.search(r'<input[^>]*name="questions-2-true_false_answer"[^>]*checked[^>]*>', form)
    assert checked and 'value="Salah"' in checked.group(0)

    questions = []
    for q in quiz.questions.all():
        options = [
            {"id": o.pk, "text": o.text, "is_correct": o.is_correct} for o in q.options.all()
        ]
        questions.append(
            {"id": q.pk, "text": q.text, "kind": q.kind, "explanation": q.explanation,
             "true_false_answer": "Benar" if q == true_false else "",
             "options": inline_formset(options, initial=len(options))}
        )  # fmt: skip
    data = nested_form_data(
        {
            "title": quiz.title,
            "introduction": quiz.introduction,
            "topic": quiz.topic_id,
            "audience": quiz.audience_id,
            "pass_mark": quiz.pass_mark,
            "questions": inline_formset(questions, initial=len(questions)),
        }
    )
    response = staff.post(f"/admin/quizzes/quiz/edit/{quiz.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert [(o.pk, o.text, o.is_correct) for o in true_false.options.all()] == [
        (benar.pk, "Benar", True),
        (salah.pk, "Salah", False),
    ]


@pytest.mark.parametrize(
    "kind, options, answer, message",
    [
        ("single", [("A", True), ("B", True)], "", "Tandai tepat satu pilihan"),
        ("single", [("A", False), ("B", False)], "", "Tandai tepat satu pilihan"),
        ("single", [("A", True)], "", "Isi paling sedikit dua pilihan jawaban"),
        ("multiple", [("A", False), ("B", False)], "", "paling sedikit satu pilihan"),
        ("true_false", [], "", "Pilih jawaban yang benar: Benar atau Salah"),
        ("true_false", [("Ya", True), ("Tidak", False)], "Benar", "hanya punya pilihan Benar"),
        (
            "true_false",
            [("Benar", True), ("Salah", False), ("Entah", False)],
            "Benar",
            "hanya punya pilihan Benar",
        ),
    ],
)
def test_options_must_fit_the_question_kind(staff, kind, options, answer, message):
    response = staff.post(
        "/admin/quizzes/quiz/new/", quiz_post([question("Soal?", kind, options, answer=answer)])
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Quiz.objects.exists()


def test_duplicate_copies_questions_and_options_and_leaves_results(staff, quiz):
    assert "Gandakan" in staff.get(f"/admin/quizzes/quiz/{quiz.pk}/duplicate/").content.decode()
    response = staff.post(f"/admin/quizzes/quiz/{quiz.pk}/duplicate/")
    copy = Quiz.objects.exclude(pk=quiz.pk).get()
    assert response["Location"] == f"/admin/quizzes/quiz/edit/{copy.pk}/"
    assert copy.title == "Kuis Perundungan (salinan)"
    original = [(q.text, q.kind, [(o.text, o.is_correct) for o in q.options.all()])
                for q in quiz.questions.all()]  # fmt: skip
    copied = [(q.text, q.kind, [(o.text, o.is_correct) for o in q.options.all()])
              for q in copy.questions.all()]  # fmt: skip
    assert copied == original
    assert not set(copy.questions.values_list("pk", flat=True)) & set(
        quiz.questions.values_list("pk", flat=True)
    )


def test_preview_shows_the_student_form_without_recording(staff, quiz):
    response = staff.get(f"/admin/quizzes/quiz/{quiz.pk}/preview/")
    html = response.content.decode()
    assert "Pratinjau: inilah yang dilihat siswa" in html
    assert "Apa itu perundungan?" in html and 'action="#"' in html


def test_quiz_listing_offers_preview_and_duplicate(staff, quiz):
    html = staff.get("/admin/quizzes/quiz/").content.decode()
    assert f"/admin/quizzes/quiz/{quiz.pk}/preview/" in html
    assert f"/admin/quizzes/quiz/{quiz.pk}/duplicate/" in html


def session_post(quiz, **fields):
    data = {
        "quiz": quiz.pk,
        "kind": "standalone",
        "visit": "",
        "school": "",
        "opens_at": "2026-11-01 08:00",
        "closes_at": "",
        "max_attempts": "",
        "code": "",
    }
    data.update(fields)
    return data


def test_a_new_session_gets_a_random_code_from_the_safe_alphabet(staff, quiz):
    response = staff.post("/admin/quizzes/sessions/new/", session_post(quiz))
    assert response.status_code == 302
    session = QuizSession.objects.get()
    assert re.fullmatch(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}", session.code)
    assert session.created_by.username == "staf-sosialisasi"


@pytest.mark.parametrize(
    "code, error",
    [
        ("abc", "4 sampai 16 huruf dan angka"),
        ("kode-acara", "4 sampai 16 huruf dan angka"),
        ("A" * 17, "4 sampai 16 huruf dan angka"),
        ("demo", "Kode ini sudah dipakai sesi lain"),
    ],
)
def test_vanity_codes_are_checked_and_unique_whatever_the_case(staff, quiz, code, error):
    QuizSessionFactory(quiz=quiz, code="DEMO")
    response = staff.post("/admin/quizzes/sessions/new/", session_post(quiz, code=code))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert QuizSession.objects.count() == 1


def test_a_vanity_code_is_stored_in_capitals(staff, quiz):
    staff.post("/admin/quizzes/sessions/new/", session_post(quiz, code="Pentas2026"))
    assert QuizSession.objects.get().code == "PENTAS2026"


def test_session_must_close_after_it_opens(staff, quiz):
    response = staff.post(
        "/admin/quizzes/sessions/new/", session_post(quiz, closes_at="2026-10-01 08:00")
    )
    assert "Sesi harus ditutup setelah dibuka" in response.content.decode()


def test_session_listing_counts_attempts_and_links_the_tools(staff, session, take):
    take(session)
    html = staff.get("/admin/quizzes/sessions/").content.decode()
    assert session.code in html
    for url in (
        f"/admin/quizzes/sessions/{session.pk}/projector/",
        f"/admin/quizzes/sessions/{session.pk}/results/",
        f"/q/{session.code}/poster.pdf",
        f"/q/{session.code}/qr.png",
        f"/admin/quizzes/sessions/{session.pk}/hasil.csv",
    ):
        assert url in html


def tool_links(html: str) -> dict[str, str]:
    """{label: address} of the labelled buttons in the session's tools."""
    tools = re.search(r'<nav class="session-tools"[^>]*>(.*?)</nav>', html, re.S).group(1)
    return {
        re.sub(r"<[^>]+>", "", label).strip(): url
        for url, label in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', tools, re.S)
    }


def test_the_sessions_own_page_shows_its_tools_as_labelled_buttons(staff, session):
    page = staff.get(f"/admin/quizzes/sessions/edit/{session.pk}/").content.decode()
    pk, code = session.pk, session.code
    assert tool_links(page) == {
        "Proyektor": f"/admin/quizzes/sessions/{pk}/projector/",
        "Hasil": f"/admin/quizzes/sessions/{pk}/results/",
        "Poster (PDF)": f"/q/{code}/poster.pdf",
        "Kode QR (PNG)": f"/q/{code}/qr.png",
        "Kode QR (SVG)": f"/q/{code}/qr.svg",
        "Hasil (CSV)": f"/admin/quizzes/sessions/{pk}/hasil.csv",
        "Hasil (Excel)": f"/admin/quizzes/sessions/{pk}/hasil.xlsx",
        "Semua sertifikat (PDF)": f"/admin/quizzes/sessions/{pk}/sertifikat.pdf",
        "Lembar jawaban": f"/admin/quizzes/sessions/{pk}/lembar/",
    }
    # The row's "…" menu in the list keeps the same links.
    listing = staff.get("/admin/quizzes/sessions/").content.decode()
    for url in tool_links(page).values():
        assert f'href="{url}"' in listing
    # The results page offers the others, not itself.
    results = staff.get(f"/admin/quizzes/sessions/{pk}/results/").content.decode()
    assert set(tool_links(results)) == set(tool_links(page)) - {"Hasil"}


def test_the_tools_carrying_names_need_the_attempts_permission(staff, session, django_user_model):
    user = django_user_model.objects.create_user(username="tanpa-nama")
    user.user_permissions.add(Permission.objects.get(codename="view_quizsession"))
    urls = {tool.url for tool in session_tools(session, user)}
    assert f"/q/{session.code}/poster.pdf" in urls
    assert not any(url.endswith((".csv", ".xlsx", "sertifikat.pdf")) for url in urls)


def test_projector_shows_qr_short_url_title_and_count_and_refreshes(staff, session, take, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://sekolahaman.example.id"
    take(session)
    html = staff.get(f"/admin/quizzes/sessions/{session.pk}/projector/").content.decode()
    # The count is fetched by a script every 10 seconds, not by reloading the page.
    assert 'http-equiv="refresh"' not in html
    assert re.search(r'<script src="/static/quizzes/projector\.js" defer></script>', html)
    assert '<div class="status"><p class="count">' in html
    assert f"sekolahaman.example.id/q/{session.code}<" in html
    assert "Kuis Perundungan" in html and "1 jawaban masuk" in html
    assert "<svg" in html and "<main" in html


def test_qr_codes_carry_the_full_public_address(staff, session, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://sekolahaman.example.id"
    url = f"https://sekolahaman.example.id/q/{session.code}/"
    png = staff.get(f"/q/{session.code}/qr.png")
    assert png["Content-Type"] == "image/png"
    assert decode_png(png.content) == [url]
    svg = staff.get(f"/q/{session.code}/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b"<svg") or b"<svg" in svg.content[:200]
    # Quiet zone of 4 modules: the drawing starts 4 units in.
    assert re.search(rb'viewBox="0 0 (\d+) \1"', svg.content)
    assert b"M4," in svg.content and b"M3," not in svg.content


def test_poster_is_a4_with_a_big_qr_the_short_url_and_the_title(staff, session, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://sekolahaman.example.id"
    response = staff.get(f"/q/{session.code}/poster.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    page = reader.pages[0]
    assert len(reader.pages) == 1
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    text = page.extract_text()
    assert "Kuis Perundungan" in text
    assert f"sekolahaman.example.id/q/{session.code}" in text.replace("\n", "")
    assert decode_pdf_qr(response.content) == [f"https://sekolahaman.example.id/q/{session.code}/"]
    assert qr_width_cm(response.content) >= 8


def qr_width_cm(pdf: bytes) -> float:
    """Width of the QR's dark modules, measured on the rendered page."""
    import pypdfium2

    scale = 2  # 144 dpi
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=scale).to_pil().convert("L")
    width, height = image.size
    dark_columns = [
        x for x in range(width)
        if any(image.getpixel((x, y)) < 128 for y in range(height // 4, height * 3 // 4, 4))
    ]  # fmt: skip
    # The widest run of columns with dark pixels in the middle of the page is the QR.
    runs, start, previous = [], dark_columns[0], dark_columns[0]
    for x in dark_columns[1:]:
        if x - previous > 20:
            runs.append(previous - start)
            start = x
        previous = x
    runs.append(previous - start)
    return max(runs) / (72 * scale) * 2.54


def test_staff_only_qr_and_poster(client, public_site, session):
    for suffix in ("qr.svg", "qr.png", "poster.pdf"):
        response = client.get(f"/q/{session.code}/{suffix}")
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_session_results_show_figures_and_what_did_not_land(staff, session, take):
    take(session)  # all right
    take(session, right=1)  # only the first right
    html = staff.get(f"/admin/quizzes/sessions/{session.pk}/results/").content.decode()
    cells = re.sub(r"\s+", " ", html)
    assert "<td>2</td><td>1</td><td>50%</td><td>66,5%</td><td>1</td>" in cells
    assert "Apa itu perundungan?</td><td>2</td><td>100%" in cells
    assert "Mana yang perundungan?</td><td>2</td><td>50%" in cells


def test_school_results_gather_every_session_at_the_school(staff, quiz, school, take):
    first, second = QuizSessionFactory.create_batch(2, quiz=quiz, school=school)
    take(first)
    take(second, right=0)
    html = staff.get(f"/admin/quizzes/results/school/{school.pk}/").content.decode()
    assert first.code in html and second.code in html
    assert "<td>2</td><td>1</td><td>50%</td>" in re.sub(r"\s+", " ", html)


def test_results_index_filters_by_school(staff, quiz, take):
    a, b = SchoolFactory(name="SMP A"), SchoolFactory(name="SMP B")
    take(QuizSessionFactory(quiz=quiz, school=a))
    take(QuizSessionFactory(quiz=quiz, school=b))
    html = staff.get(f"/admin/quizzes/results/?school={a.pk}&starts_on=garbage").content.decode()
    assert "SMP A" in html and ">SMP B<" not in html
    assert "<td>1</td><td>1</td><td>100%</td>" in re.sub(r"\s+", " ", html)


def test_exports_have_every_attempt_and_no_live_formulas(staff, session, take):
    take(session, nama='=HYPERLINK("http://x","klik")', kelas="+8B")
    take(session, nama="Rina Sari", right=1)
    response = staff.get(f"/admin/quizzes/sessions/{session.pk}/hasil.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert rows[0][:5] == ["Dikirim (WITA)", "Sekolah", "Kelas", "Jenis kelamin", "Nama"]
    assert len(rows) == 3
    assert rows[1][4] == '\'=HYPERLINK("http://x","klik")' and rows[1][2] == "'+8B"
    assert rows[2][4] == "Rina Sari" and rows[2][-3:] == ["1", "0", "0"]

    response = staff.get(f"/admin/quizzes/sessions/{session.pk}/hasil.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert len(values) == 3
    assert values[1][4] == '\'=HYPERLINK("http://x","klik")'
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_all_certificates_of_a_session_in_one_pdf(staff, session, take):
    take(session, nama="Rina Sari")
    take(session, nama="Budi Santoso")
    take(session, nama="")  # passed, no certificate
    take(session, nama="Gagal", right=0)
    response = staff.get(f"/admin/quizzes/sessions/{session.pk}/sertifikat.pdf")
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2
    text = pdf_text(response.content)
    assert "Rina Sari" in text and "Budi Santoso" in text
    assert Attempt.objects.count() == 4


def test_no_certificate_yet_is_a_message_not_an_empty_pdf(staff, session):
    response = staff.get(f"/admin/quizzes/sessions/{session.pk}/sertifikat.pdf", follow=True)
    assert "belum punya sertifikat" in response.content.decode()


def test_a_session_for_a_visit_takes_the_visit_school(quiz):
    visit = VisitFactory()
    session = session_create(quiz=quiz, visit=visit, kind="pre")
    assert session.school == visit.school
    with pytest.raises(Exception, match="sekolah lain"):
        session_create(quiz=quiz, visit=visit, school=SchoolFactory())


def test_questions_are_ordered_as_authored(quiz):
    first = quiz.questions.first()
    first.sort_order = 99
    first.save()
    assert list(Question.objects.filter(quiz=quiz)).pop().pk == first.pk
    assert QuizFactory(title="x").questions.count() == 3


def test_a_quiz_with_sessions_cannot_be_deleted(staff, admin_client, quiz):
    QuizSessionFactory(quiz=quiz)
    response = admin_client.post(f"/admin/quizzes/quiz/delete/{quiz.pk}/", follow=True)
    assert Quiz.objects.filter(pk=quiz.pk).exists()
    assert response.status_code == 200


def test_deleting_a_session_deletes_its_certificate_files(
    admin_client, session, take, django_capture_on_commit_callbacks
):
    import os

    take(session)
    path = Attempt.objects.get().certificate.file.path
    assert os.path.exists(path)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/quizzes/sessions/delete/{session.pk}/")
    assert response.status_code == 302
    assert not Attempt.objects.exists() and not os.path.exists(path)
