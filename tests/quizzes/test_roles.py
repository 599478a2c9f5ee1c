"""Who reaches which quiz screen. Partners (Mitra) see figures, never a name."""

import cv2
import numpy as np
import pytest
from django.core.files.base import ContentFile
from wagtail.models import Site

from cms.roles import ADMIN, ALL_ROLES, EDITOR, PARTNER, STAFF
from quizzes.models import SheetBatch, SheetPage, TeacherLink
from quizzes.sheets.models import BatchStatus, PageStatus
from tests.quizzes.factories import QuizFactory, QuizSessionFactory
from tests.roles import assert_access, assert_login_required

NAMES = {ADMIN, STAFF}
FIGURES = {ADMIN, STAFF, PARTNER}


@pytest.fixture
def urls(public_site, school, take):
    quiz = QuizFactory()
    session = QuizSessionFactory(quiz=quiz, school=school)
    take(session)  # a certificate for the merged PDF
    site = Site.objects.get(is_default_site=True)
    batch = SheetBatch.objects.create(session=session, status=BatchStatus.DONE)
    page = SheetPage(batch=batch, session=session, number=1, status=PageStatus.FLAGGED,
                     flags=[{"kind": "blank", "question": 1, "detail": ""}])  # fmt: skip
    blank = cv2.imencode(".jpg", np.full((1188, 840), 255, np.uint8))[1].tobytes()
    page.image.save("1-1.jpg", ContentFile(blank))
    return {
        "quizzes": "/admin/quizzes/quiz/",
        "add_quiz": "/admin/quizzes/quiz/new/",
        "edit_quiz": f"/admin/quizzes/quiz/edit/{quiz.pk}/",
        "preview_quiz": f"/admin/quizzes/quiz/{quiz.pk}/preview/",
        "duplicate_quiz": f"/admin/quizzes/quiz/{quiz.pk}/duplicate/",
        "sessions": "/admin/quizzes/sessions/",
        "add_session": "/admin/quizzes/sessions/new/",
        "edit_session": f"/admin/quizzes/sessions/edit/{session.pk}/",
        "projector": f"/admin/quizzes/sessions/{session.pk}/projector/",
        "qr_svg": f"/q/{session.code}/qr.svg",
        "qr_png": f"/q/{session.code}/qr.png",
        "poster": f"/q/{session.code}/poster.pdf",
        "results": "/admin/quizzes/results/",
        "session_results": f"/admin/quizzes/sessions/{session.pk}/results/",
        "teacher_link_new": f"/admin/quizzes/sessions/{session.pk}/teacher-link/new/",
        "teacher_link_revoke": f"/admin/quizzes/sessions/{session.pk}/teacher-link/revoke/",
        "school_results": f"/admin/quizzes/results/school/{school.pk}/",
        "export_csv": f"/admin/quizzes/sessions/{session.pk}/hasil.csv",
        "export_xlsx": f"/admin/quizzes/sessions/{session.pk}/hasil.xlsx",
        "certificates": f"/admin/quizzes/sessions/{session.pk}/sertifikat.pdf",
        "certificate_settings": f"/admin/settings/quizzes/certificatesettings/{site.pk}/",
        "sheets_print": f"/admin/quizzes/sessions/{session.pk}/lembar/",
        "question_sheet": f"/admin/quizzes/sessions/{session.pk}/lembar/soal.pdf",
        "sheets_upload": f"/admin/quizzes/sessions/{session.pk}/lembar/unggah/",
        "sheets_grid": f"/admin/quizzes/sessions/{session.pk}/lembar/ketik/",
        "sheet_batch": f"/admin/quizzes/lembar/{batch.pk}/",
        "sheet_page_review": f"/admin/quizzes/lembar/halaman/{page.pk}/",
        "sheet_page_crop": f"/admin/quizzes/lembar/halaman/{page.pk}/q1.png",
        "sheet_names": f"/admin/quizzes/lembar/{batch.pk}/nama/",
    }


MATRIX = {
    "quizzes": NAMES,
    "add_quiz": NAMES,
    "edit_quiz": NAMES,
    "preview_quiz": NAMES,
    "duplicate_quiz": NAMES,
    "sessions": NAMES,
    "add_session": NAMES,
    "edit_session": NAMES,
    "projector": NAMES,
    "qr_svg": NAMES,
    "qr_png": NAMES,
    "poster": NAMES,
    "results": FIGURES,
    "session_results": FIGURES,
    "school_results": FIGURES,
    "export_csv": NAMES,
    "export_xlsx": NAMES,
    "certificates": NAMES,
    "certificate_settings": NAMES,
    "sheets_print": NAMES,
    "question_sheet": NAMES,
    "sheets_upload": NAMES,
    "sheets_grid": NAMES,
    "sheet_batch": NAMES,
    "sheet_page_review": NAMES,
    "sheet_page_crop": NAMES,
}
SHEETS = [name for name in MATRIX if name.startswith(("sheet", "question_sheet"))]


@pytest.mark.parametrize("name", MATRIX)
def test_each_role_reaches_exactly_its_quiz_screens(role_clients, urls, name):
    assert_access(role_clients, urls[name], MATRIX[name])


@pytest.mark.parametrize("name", SHEETS)
def test_editors_and_partners_get_a_403_from_answer_sheets(role_clients, urls, name):
    for role in (EDITOR, PARTNER):
        assert role_clients(role).get(urls[name]).status_code == 403, role


def test_only_staff_and_admin_save_names_from_sheets(role_clients, urls):
    for role in ALL_ROLES:
        expected = 302 if role in NAMES else 403
        assert role_clients(role).post(urls["sheet_names"]).status_code == expected, role


def test_partner_is_refused_names_with_a_403(role_clients, urls):
    for name in ("export_csv", "export_xlsx", "certificates", "projector", "duplicate_quiz"):
        assert role_clients(PARTNER).get(urls[name]).status_code == 403, name


def test_partner_results_pages_show_no_name_and_no_export_link(role_clients, urls):
    html = role_clients(PARTNER).get(urls["session_results"]).content.decode()
    assert "Rina" not in html and "hasil.csv" not in html
    assert "Rina" not in role_clients(PARTNER).get(urls["school_results"]).content.decode()


def test_anonymous_visitors_are_sent_to_the_login(client, urls):
    assert_login_required(client, urls.values())


def test_duplicating_needs_a_post_and_the_permission(role_clients, urls):
    assert role_clients(PARTNER).post(urls["duplicate_quiz"]).status_code == 403
    assert role_clients(STAFF).post(urls["duplicate_quiz"]).status_code == 302


@pytest.mark.parametrize("name", ["teacher_link_new", "teacher_link_revoke"])
def test_only_staff_and_admin_make_or_revoke_teacher_links(role_clients, urls, name):
    """Handing out a link shows names: Editor Materi and Mitra are refused with a 403."""
    for role in ALL_ROLES:
        response = role_clients(role).post(urls[name])
        expected = 302 if role in NAMES else 403
        assert response.status_code == expected, f"{role} {name}: {response.status_code}"
    assert role_clients(STAFF).get(urls[name]).status_code == 405  # a GET never writes


def test_teacher_links_need_a_login(client, urls):
    response = client.post(urls["teacher_link_new"])
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert not TeacherLink.objects.exists()


def test_the_teacher_link_panel_shows_only_to_who_may_hand_it_out(role_clients, urls):
    for role in NAMES:
        assert 'id="tautan-guru"' in role_clients(role).get(urls["session_results"]).text
    assert 'id="tautan-guru"' not in role_clients(PARTNER).get(urls["session_results"]).text
