"""Ids from query strings and forms that no column holds: "²" (a digit to
str.isdigit(), not to int()) and numbers beyond a bigint answer "nothing chosen" or
"not found", never a server error, on SQLite and PostgreSQL alike."""

import pytest
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from cms.forms import id_param
from cms.models import Topic
from cms.roles import ADMIN, STAFF
from tests.campaigns.factories import VisitFactory

pytestmark = pytest.mark.django_db
HUGE = ["9" * 30, str(2**63), "-" + "9" * 30]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", 12), ("²", None), ("①", None), ("١٢", None), ("", None), (str(2**63 - 1), 2**63 - 1)]
    + [(value, None) for value in HUGE],
)
def test_id_param(value, expected):
    assert id_param(value) == expected


@pytest.mark.parametrize("value", ["²", "①", "1\x00", *HUGE])
def test_the_quiz_session_form_opens_for_a_visit_that_is_not_one(role_clients, value):
    response = role_clients(STAFF).get("/admin/quizzes/sessions/new/", {"visit": value})
    assert response.status_code == 200


def test_the_quiz_session_form_still_opens_for_a_visit(role_clients):
    visit = VisitFactory()
    response = role_clients(STAFF).get("/admin/quizzes/sessions/new/", {"visit": visit.pk})
    assert f'<option value="{visit.pk}" selected>' in response.content.decode()


@pytest.mark.parametrize("value", HUGE)
def test_the_visit_form_opens_for_a_school_beyond_any_id(role_clients, value):
    for name in ("school", "village", "campaign"):
        response = role_clients(STAFF).get("/admin/kunjungan/new/", {name: value})
        assert response.status_code == 200


@pytest.mark.parametrize("value", HUGE)
def test_an_in_lookup_beyond_the_column_matches_nothing(value):
    topic = Topic.objects.first()
    assert list(Topic.objects.filter(pk__in=[int(value), topic.pk])) == [topic]
    assert not Topic.objects.filter(pk__in=[int(value)]).exists()


@pytest.mark.parametrize("value", ["²", "1\x00", *HUGE])
@pytest.mark.parametrize(
    "url",
    [
        "/admin/bulk/wagtailimages/image/delete/",
        "/admin/bulk/wagtaildocs/document/delete/",
        "/admin/bulk/wagtailcore/page/delete/",
        "/admin/bulk/auth/user/delete/",
    ],
)
def test_wagtails_bulk_actions_find_no_such_id(role_clients, url, value):
    assert role_clients(ADMIN).get(url, {"id": value}).status_code == 404


def test_wagtails_bulk_actions_still_find_real_ids(role_clients):
    image = Image.objects.create(title="Poster anti perundungan", file=get_test_image_file())
    response = role_clients(ADMIN).get("/admin/bulk/wagtailimages/image/delete/", {"id": image.pk})
    assert response.status_code == 200
    assert image.title in response.content.decode()


@pytest.mark.parametrize("name", ["offset", "limit"])
@pytest.mark.parametrize("value", ["²", *HUGE])
@pytest.mark.parametrize("endpoint", ["pages", "images", "documents"])
def test_the_admin_api_refuses_an_offset_beyond_any_table(role_clients, endpoint, name, value):
    response = role_clients(ADMIN).get(f"/admin/api/main/{endpoint}/", {name: value})
    assert response.status_code == 400
