"""The admin's first screen: what each role finds there (Wagtail's page summary gives
way to the day's work for staff, the reach alone for partners), in a bounded number of
queries."""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model

from cms.roles import ADMIN, EDITOR, PARTNER, STAFF
from quizzes.models import CertificateStatus
from tests.campaigns.factories import VisitFactory, wita
from tests.indonesian import indonesian
from tests.monitoring.meeting_data import action, meeting
from tests.monitoring.meeting_data import staff as meeting_staff
from tests.monitoring.reach_data import attempt
from tests.quizzes.factories import QuizSessionFactory

pytestmark = pytest.mark.django_db
TUESDAY = wita(2026, 5, 5, 8)  # in the week of Monday 4 to Sunday 10 May 2026
OUR_PANELS = {"reach-summary", "week-visits", "visit-requests", "open-sessions",
              "failed-certificates", "follow-up"}  # fmt: skip
PANELS_BY_ROLE = {
    ADMIN: OUR_PANELS,
    STAFF: OUR_PANELS,
    EDITOR: set(),  # Wagtail's own screen, about their pages
    PARTNER: {"reach-summary", "follow-up"},  # the actions of their agency
}


@pytest.fixture(autouse=True)
def _tuesday():
    with time_machine.travel(TUESDAY, tick=False):
        yield


@pytest.fixture
def staff_member(role_clients):
    role_clients(STAFF)
    return get_user_model().objects.get(username="staf-sosialisasi")


@pytest.fixture
def screen(world, staff_member):
    """The reach world on Tuesday 5 May 2026 (SD A's visit that day is done, with no
    facilitator; SD D's request waits), plus: SMP B on Thursday at 07:30 WITA and a
    village late on Sunday, both led by the staff member; one of theirs the Sunday
    before and one the Monday after, outside the week; a certificate that failed."""
    VisitFactory(school=world.b, starts_at=wita(2026, 5, 7, 7, 30), facilitators=[staff_member])
    VisitFactory(village=world.v2, starts_at=wita(2026, 5, 10, 23, 30),
                 facilitators=[staff_member])  # fmt: skip
    for outside in (wita(2026, 5, 3, 23, 30), wita(2026, 5, 11, 0, 0)):
        VisitFactory(school=world.a, starts_at=outside, facilitators=[staff_member])
    failed = attempt(world.post, 90, certificate=True)
    failed.certificate.status = CertificateStatus.FAILED
    failed.certificate.save()
    return world


def panels(page: str) -> dict[str, str]:
    """{panel id: its HTML} for the dashboard panels of the first screen."""
    sections = re.findall(
        r'<section class="w-panel w-panel--dashboard" id="([\w-]+)-section".*?</section>',
        page,
        re.S,
    )
    return {
        name: re.search(rf'id="{name}-section".*?</section>', page, re.S).group(0)
        for name in sections
    }


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.mark.parametrize("role", PANELS_BY_ROLE)
def test_each_role_finds_the_panels_it_may_see(screen, role_clients, role):
    page = role_clients(role).get("/admin/").content.decode()
    assert set(panels(page)) & OUR_PANELS == PANELS_BY_ROLE[role]
    # Wagtail's "12 Pages / 0 Images / 9 Documents" stays for editors only.
    assert ('class="w-summary"' in page) == (role == EDITOR)


def test_partners_see_figures_and_no_name(screen, role_clients):
    page = role_clients(PARTNER).get("/admin/").content.decode()
    assert list(panels(page)) == ["reach-summary", "follow-up"]
    for name in ("Rina Sari", "staf-sosialisasi", "SD NEGERI 001 WARU", "SMP SWASTA BUDI"):
        assert name not in page


def test_the_week_shows_the_users_own_visits_first_in_wita(screen, role_clients):
    page = panels(role_clients(STAFF).get("/admin/").content.decode())["week-visits"]
    mine = text(re.search(r'id="week-visits-mine".*?</table>', page, re.S).group(0))
    others = text(re.search(r'id="week-visits-others".*?</table>', page, re.S).group(0))
    assert re.findall(r"\w+ \d+ \w+ \d\d:\d\d", mine) == ["Kam 7 Mei 07:30", "Min 10 Mei 23:30"]
    assert "SMP SWASTA BUDI" in mine and "Dua" in mine
    assert re.findall(r"\w+ \d+ \w+ \d\d:\d\d", others) == ["Sel 5 Mei 09:00"]
    assert "SD NEGERI 001 PENAJAM" in others
    assert "Senin 4 Mei sampai Minggu 10 Mei 2026, waktu dalam WITA." in text(page)


def test_an_admin_with_no_visit_this_week_sees_the_others(screen, role_clients):
    page = panels(role_clients(ADMIN).get("/admin/").content.decode())["week-visits"]
    assert 'id="week-visits-mine"' not in page
    assert indonesian("None this week.") in page
    assert len(re.findall("<tr><td>", re.search(r'id="week-visits-others".*?</table>', page,
                                                 re.S).group(0))) == 3  # fmt: skip


def test_requests_oldest_first_with_a_link_to_all(world, role_clients):
    for n in range(11):  # with SD D's, 12 requests: the panel lists 10
        with time_machine.travel(wita(2026, 4, 1 + n, 9), tick=False):
            VisitFactory(village=world.v3, status="requested", starts_at=wita(2026, 6, 1 + n, 9),
                         reference=f"REQ-{n:02d}")  # fmt: skip
    page = panels(role_clients(STAFF).get("/admin/").content.decode())["visit-requests"]
    references = re.findall(r"REQ-\d\d", page)
    assert references == [f"REQ-{n:02d}" for n in range(10)]
    assert 'href="/admin/kunjungan/?status=requested"' in page
    assert "12" in text(page.split("?status=requested")[1])


def test_open_sessions_with_their_attempts(screen, role_clients):
    QuizSessionFactory(quiz=screen.quiz, school=screen.a, opens_at=wita(2026, 5, 1, 9),
                       closes_at=wita(2026, 5, 2, 9), code="TUTUP")  # fmt: skip
    page = panels(role_clients(STAFF).get("/admin/").content.decode())["open-sessions"]
    rows = {code: text(row) for code, row in re.findall(r">(\w+)</a></td>(.*?)</tr>", page)}
    # Not the closed session, nor the one that opens in June.
    assert set(rows) == {screen.pre.code, screen.post.code}
    assert rows[screen.pre.code].endswith(" 4")
    assert rows[screen.post.code].endswith(" 3")
    assert f'href="/admin/quizzes/sessions/edit/{screen.pre.pk}/"' in page


def test_failed_certificates_lead_to_their_session(screen, role_clients):
    page = panels(role_clients(STAFF).get("/admin/").content.decode())["failed-certificates"]
    assert f'href="/admin/quizzes/sessions/{screen.post.pk}/results/"' in page
    assert re.findall(r"<td>(\d+)</td>", page) == ["1"]
    assert "Rina Sari" not in page


def test_no_failed_certificate_no_panel(world, role_clients):
    assert "failed-certificates" not in panels(role_clients(ADMIN).get("/admin/").content.decode())


def test_the_reach_line_adds_up_like_the_dashboard(screen, role_clients):
    page = panels(role_clients(PARTNER).get("/admin/").content.decode())["reach-summary"]
    # reach_data: schools 2/4, villages 1/3, 72 students in 4 sessions (2026); this
    # week's visits are not done yet.
    assert re.findall(r"\d+", text(page)) == ["2026", "2", "4", "1", "3", "72", "4"]
    assert 'href="/admin/jangkauan/"' in page


# Wagtail's own (session, user, permissions, menu with its site settings, review tasks)
# and ours: the reach line 4 (the user's regency, then 3), the week 2, the requests 2,
# open sessions 1, failed certificates 1, overdue follow-up actions 1, answer sheets to
# review 1.
FIRST_SCREEN_QUERIES = 26


def test_the_first_screen_takes_the_same_queries_however_much_there_is(
    screen, role_clients, staff_member, django_assert_max_num_queries
):
    client = role_clients(STAFF)
    client.get("/admin/")  # what Wagtail caches for the process (content types) is read
    with django_assert_max_num_queries(FIRST_SCREEN_QUERIES):
        client.get("/admin/")
    chair = meeting_staff("staf-rapat")
    held = meeting(chair, held_at=wita(2026, 3, 31, 9))
    for day in range(4, 11):
        action(held, chair, due_on=dt.date(2026, 4, day))  # overdue
        VisitFactory(school=screen.a, starts_at=wita(2026, 5, day, 13), facilitators=[staff_member])
        VisitFactory(village=screen.v3, status="requested", starts_at=wita(2026, 7, day, 9))
        session = QuizSessionFactory(quiz=screen.quiz, school=screen.b)
        failed = attempt(session, 80, certificate=True)
        failed.certificate.status = CertificateStatus.FAILED
        failed.certificate.save()
    with django_assert_max_num_queries(FIRST_SCREEN_QUERIES):
        page = client.get("/admin/").content.decode()
    assert len(re.findall("<tr><td>", panels(page)["week-visits"])) == 3 + 7
    assert len(re.findall("<tr><td>", panels(page)["failed-certificates"])) == 1 + 7
    assert panels(page)["follow-up"].count("action-overdue") == 7
