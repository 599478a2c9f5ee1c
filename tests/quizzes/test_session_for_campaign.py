"""Opening a quiz session for a visit offers the quizzes of the visit's campaign first."""

import re

import pytest

from cms.roles import STAFF
from tests.campaigns.factories import VisitFactory
from tests.quizzes.factories import QuizFactory

pytestmark = pytest.mark.django_db


def quiz_select(html: str) -> str:
    return re.search(r'<select name="quiz".*?</select>', html, re.S).group(0)


def test_the_campaigns_quizzes_come_first_and_one_is_chosen(role_clients):
    visit = VisitFactory()
    other = QuizFactory(title="A Kuis cadangan")
    own = QuizFactory(title="Z Kuis kampanye")
    visit.campaign.quizzes.set([own])
    html = role_clients(STAFF).get("/admin/quizzes/sessions/new/", {"visit": visit.pk}).content
    select = quiz_select(html.decode())
    assert select.index("Kuis kampanye kunjungan ini") < select.index("Z Kuis kampanye")
    others = select.index('label="Kuis lain"')
    assert select.index("Z Kuis kampanye") < others < select.index("A Kuis cadangan")
    assert f'<option value="{own.pk}" selected>' in select
    assert f'value="{other.pk}"' in select


def test_with_several_campaign_quizzes_none_is_chosen_for_the_author(role_clients):
    visit = VisitFactory()
    visit.campaign.quizzes.set([QuizFactory(title="Pra"), QuizFactory(title="Pasca")])
    html = role_clients(STAFF).get("/admin/quizzes/sessions/new/", {"visit": visit.pk}).content
    select = quiz_select(html.decode())
    assert " selected>" not in select.split("</option>", 1)[1]
    assert select.index("Pasca") < select.index("Pra")


def test_a_campaign_without_quizzes_lists_them_all_plainly(role_clients):
    visit = VisitFactory()
    QuizFactory(title="Kuis apa saja")
    html = role_clients(STAFF).get("/admin/quizzes/sessions/new/", {"visit": visit.pk}).content
    select = quiz_select(html.decode())
    assert "Kuis apa saja" in select and "<optgroup" not in select


def test_a_quiz_of_another_list_still_validates(role_clients):
    """The groups are only the list: any quiz may be chosen and the session is made."""
    visit = VisitFactory()
    visit.campaign.quizzes.set([QuizFactory(title="Milik kampanye")])
    other = QuizFactory(title="Lain")
    response = role_clients(STAFF).post(
        f"/admin/quizzes/sessions/new/?visit={visit.pk}",
        {
            "quiz": other.pk,
            "kind": "standalone",
            "visit": visit.pk,
            "opens_at": "2026-08-03 09:00",
            "code": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert visit.quiz_sessions.get().quiz == other
