"""Calendar feeds for phones: secret revocable addresses, stable UIDs, SEQUENCE on moves,
STATUS:CANCELLED, Asia/Makassar times."""

import re

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from campaigns import services
from campaigns.models import CalendarFeed
from tests.campaigns.factories import UserFactory, VisitFactory, wita
from tests.indonesian import indonesian

pytestmark = pytest.mark.django_db
NOW = wita(2026, 5, 4, 10)


def feed_url(token):
    return reverse("calendar_feed", args=[token])


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def visit(school, campaign, staff):
    visit = VisitFactory(
        school=school,
        campaign=campaign,
        facilitators=[staff],
        venue="Aula",
        contact_name="Bu Sari",
        contact_phone="0812 1111 2222",
    )
    return visit


@time_machine.travel(NOW, tick=False)
def test_a_staff_members_feed_has_their_visits_in_wita(client, staff, visit, campaign):
    VisitFactory(campaign=campaign, facilitators=[UserFactory()])  # someone else's
    token = services.calendar_feed_create(by=staff, user=staff)
    response = client.get(feed_url(token))
    found = events(response)
    assert list(found) == ["Sosialisasi: SD NEGERI 001 PENAJAM (30401950)"]
    event = found["Sosialisasi: SD NEGERI 001 PENAJAM (30401950)"]
    assert str(event["UID"]) == f"{visit.uid}@sekolah-aman"
    assert event["STATUS"] == "CONFIRMED"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == wita(2026, 5, 12, 9)
    assert "Kontak: Bu Sari, 0812 1111 2222" in str(event["DESCRIPTION"])
    assert "Aula" in str(event["LOCATION"])
    body = response.content.decode()
    assert "DTSTART;TZID=Asia/Makassar:20260512T090000" in body
    assert "BEGIN:VTIMEZONE\r\nTZID:Asia/Makassar" in body
    assert "TZOFFSETTO:+0800" in body


@time_machine.travel(NOW, tick=False)
def test_moving_and_cancelling_keep_the_uid_and_raise_the_sequence(client, staff, visit):
    token = services.calendar_feed_create(by=staff, user=staff)
    services.visit_update(
        visit=visit, by=staff, starts_at=wita(2026, 5, 14, 13), ends_at=wita(2026, 5, 14, 15)
    )
    moved = next(iter(events(client.get(feed_url(token))).values()))
    assert str(moved["UID"]) == f"{visit.uid}@sekolah-aman"
    assert moved["SEQUENCE"] == 1
    assert moved.decoded("DTSTART") == wita(2026, 5, 14, 13)

    services.visit_change_status(visit=visit, to_status="cancelled", reason="Libur", by=staff)
    cancelled = next(iter(events(client.get(feed_url(token))).values()))
    assert str(cancelled["UID"]) == f"{visit.uid}@sekolah-aman"
    assert cancelled["STATUS"] == "CANCELLED"
    assert cancelled["SEQUENCE"] == 2


@time_machine.travel(NOW, tick=False)
def test_an_unknown_or_revoked_token_is_404(client, staff, visit):
    old = services.calendar_feed_create(by=staff, user=staff)
    assert client.get(feed_url("x" * 43)).status_code == 404
    assert client.get(feed_url("short")).status_code == 404
    assert client.get("/kalender/..%2F..%2Fetc.ics").status_code == 404
    new = services.calendar_feed_create(by=staff, user=staff)
    assert client.get(feed_url(old)).status_code == 404
    assert client.get(feed_url(new)).status_code == 200
    services.calendar_feed_revoke(user=staff)
    assert client.get(feed_url(new)).status_code == 404
    # Only hashes are stored.
    assert not CalendarFeed.objects.filter(token_hash__in=[old, new]).exists()


@time_machine.travel(NOW, tick=False)
def test_a_deactivated_staff_members_feed_is_404(client, staff, visit):
    token = services.calendar_feed_create(by=staff, user=staff)
    staff.is_active = False
    staff.save()
    assert client.get(feed_url(token)).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_a_campaign_feed_has_its_visits_without_contacts(client, staff, visit, campaign):
    VisitFactory(campaign=campaign, starts_at=wita(2026, 6, 1, 9), status="requested")
    token = services.calendar_feed_create(by=staff, campaign=campaign)
    found = events(client.get(feed_url(token)))
    assert len(found) == 2
    assert {str(event["STATUS"]) for event in found.values()} == {"CONFIRMED", "TENTATIVE"}
    assert "Bu Sari" not in client.get(feed_url(token)).content.decode()


def test_staff_make_and_revoke_their_address_in_the_admin(staff_client, staff):
    url = reverse("visits:my_feed")
    assert "Belum ada alamat kalender" in staff_client.get(url).content.decode()
    made = staff_client.post(url, {"action": "create"}).content.decode()
    address = re.search(r'value="(http://testserver/kalender/[^"]+\.ics)"', made).group(1)
    assert "<svg" in made  # the QR code to scan
    assert staff_client.get(address).status_code == 200
    page = staff_client.get(url).content.decode()
    assert "Ada alamat kalender aktif" in page
    assert address not in page  # shown only once
    staff_client.post(url, {"action": "revoke"})
    assert staff_client.get(address).status_code == 404


def test_a_campaign_address_is_managed_from_the_campaign(staff_client, staff, campaign):
    url = reverse("campaigns:feed", args=[campaign.pk])
    made = staff_client.post(url, {"action": "create"}).content.decode()
    address = re.search(r'value="(http://testserver/kalender/[^"]+\.ics)"', made).group(1)
    assert staff_client.get(address).status_code == 200
    assert CalendarFeed.objects.get(revoked_at__isnull=True).campaign == campaign


def test_a_built_feed_is_reused_until_a_visit_changes(
    client, staff, visit, django_assert_max_num_queries
):
    with time_machine.travel(NOW, tick=False):
        token = services.calendar_feed_create(by=staff, user=staff)
        first = client.get(feed_url(token)).content
        # Cached: the token, the staff check and one aggregate, whatever the visits.
        with django_assert_max_num_queries(5):
            assert client.get(feed_url(token)).content == first
    with time_machine.travel(wita(2026, 5, 4, 11), tick=False):
        # A new contact person does not move the event, but the feed must show it.
        visit = services.visit_update(visit=visit, by=staff, contact_name="Pak Budi")
        assert visit.ics_sequence == 0
        assert "Pak Budi" in client.get(feed_url(token)).content.decode()


@time_machine.travel(NOW, tick=False)
def test_my_calendar_page_says_what_the_feed_holds_and_lists_the_next_visits(
    staff_client, staff, school, campaign
):
    for day in range(6):  # six coming visits: the page lists the first five
        VisitFactory(school=school, campaign=campaign, facilitators=[staff],
                     starts_at=wita(2026, 5, 11 + day, 9))  # fmt: skip
    VisitFactory(campaign=campaign, facilitators=[staff], starts_at=wita(2026, 5, 5, 9),
                 status="cancelled")  # fmt: skip
    VisitFactory(campaign=campaign, facilitators=[staff], starts_at=wita(2026, 5, 1, 9))  # past
    VisitFactory(campaign=campaign, facilitators=[UserFactory()], starts_at=wita(2026, 5, 6, 9))
    page = staff_client.get(reverse("visits:my_feed")).content.decode()

    # The breadcrumbs are the visible heading: all but their last item are folded away.
    breadcrumbs = re.search(r'aria-label="Jejak navigasi">(.*?)</nav>', page, re.S).group(1)
    heading = re.sub(r"<[^>]+>", "", breadcrumbs.split("<li")[-1]).split(">", 1)[1].strip()
    assert heading == indonesian("My calendar on my phone")
    assert indonesian(
        "This calendar holds only the visits where you are one of the facilitators, from "
        "%(days)s days ago onwards. A visit you do not facilitate does not appear in it: "
        "ask whoever plans it to add you as a facilitator.", days=90,
    ) in page  # fmt: skip
    # How to subscribe, before any address is made.
    assert indonesian(
        "On Android: open Google Calendar on a computer, choose Other calendars → From URL, "
        "and paste the address. On an iPhone: Settings → Calendar → Accounts → Add Account "
        "→ Other → Add Subscribed Calendar."
    ) in page  # fmt: skip
    upcoming = re.search(r'<ul class="feed-upcoming">(.*?)</ul>', page, re.S).group(1)
    assert re.findall(r"(\d\d-05-2026) 09:00", upcoming) == [
        f"{day}-05-2026" for day in (11, 12, 13, 14, 15)
    ]


def test_my_calendar_page_says_when_no_visit_is_coming(staff_client):
    page = staff_client.get(reverse("visits:my_feed")).content.decode()
    assert 'class="feed-upcoming"' not in page
    assert (
        indonesian(
            "No visits yet: you are not a facilitator of any coming visit. The calendar shows "
            "them as soon as you are."
        )
        in page
    )
