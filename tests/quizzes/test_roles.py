"""Who reaches which quiz screen. Partners (Mitra) see figures, never a name."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import Site

from cms.roles import ADMIN, ALL_ROLES, PARTNER, STAFF
from tests.quizzes.factories import make_quiz, make_session
from tests.roles import assert_access

NAMES = {ADMIN, STAFF}
FIGURES = {ADMIN, STAFF, PARTNER}


@pytest.fixture
def clients(db):
    users = {}
    for role in ALL_ROLES:
        user = get_user_model().objects.create_user(username=role.lower().replace(" ", "-"))
        user.groups.add(Group.objects.get(name=role))
        client = Client()
        client.force_login(user)
        users[role] = client
    return users.__getitem__


@pytest.fixture
def urls(public_site, school, take):
    quiz = make_quiz()
    session = make_session(quiz, school=school)
    take(session)  # a certificate for the merged PDF
    site = Site.objects.get(is_default_site=True)
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
        "school_results": f"/admin/quizzes/results/school/{school.pk}/",
        "export_csv": f"/admin/quizzes/sessions/{session.pk}/hasil.csv",
        "export_xlsx": f"/admin/quizzes/sessions/{session.pk}/hasil.xlsx",
        "certificates": f"/admin/quizzes/sessions/{session.pk}/sertifikat.pdf",
        "certificate_settings": f"/admin/settings/quizzes/certificatesettings/{site.pk}/",
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
}


@pytest.mark.parametrize("name", MATRIX)
def test_each_role_reaches_exactly_its_quiz_screens(clients, urls, name):
    assert_access(clients, urls[name], MATRIX[name])


def test_partner_is_refused_names_with_a_403(clients, urls):
    for name in ("export_csv", "export_xlsx", "certificates", "projector", "duplicate_quiz"):
        assert clients(PARTNER).get(urls[name]).status_code == 403, name


def test_partner_results_pages_show_no_name_and_no_export_link(clients, urls):
    html = clients(PARTNER).get(urls["session_results"]).content.decode()
    assert "Rina" not in html and "hasil.csv" not in html
    assert "Rina" not in clients(PARTNER).get(urls["school_results"]).content.decode()


def test_anonymous_visitors_are_sent_to_the_login(client, urls):
    for url in urls.values():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url


def test_duplicating_needs_a_post_and_the_permission(clients, urls):
    assert clients(PARTNER).post(urls["duplicate_quiz"]).status_code == 403
    assert clients(STAFF).post(urls["duplicate_quiz"]).status_code == 302
