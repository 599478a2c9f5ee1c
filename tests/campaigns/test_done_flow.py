"""The issue's "Done when", end to end through the real screens and tasks."""

import re
from datetime import date

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from campaigns.models import PartnerAgency, Visit
from campaigns.selectors import visits_done
from campaigns.tasks import reminders_send
from tests.campaigns.factories import UserFactory, wita
from tests.campaigns.test_record import photo

pytestmark = pytest.mark.django_db


def test_schedule_calendar_phone_reminder_record_and_reach(staff_client, staff, school, campaign):
    colleague = UserFactory(username="andi", first_name="Andi", last_name="Pratama")
    kejari = PartnerAgency.objects.get(name="Kejaksaan Negeri")

    # Staff schedule a visit with two facilitators and a partner agency.
    with time_machine.travel(wita(2026, 5, 4, 10), tick=False):
        response = staff_client.post(
            reverse("visits:add"),
            {
                "campaign": campaign.pk,
                "school": school.pk,
                "date": "12-05-2026",
                "start_time": "08.30",
                "end_time": "10.30",
                "venue": "Aula",
                "facilitators": [staff.pk, colleague.pk],
                "partners": [kejari.pk],
                "contact_name": "Bu Sari",
                "contact_email": "sari@example.id",
            },
        )
        assert response.status_code == 302
        visit = Visit.objects.get()

        # ...see it in the calendar...
        month = staff_client.get(reverse("visits:calendar")).content.decode()
        assert "08:30 SD NEGERI 001 PENAJAM" in month

        # ...and in their phone's calendar.
        made = staff_client.post(reverse("visits:my_feed"), {"action": "create"})
        address = re.search(r'value="http://testserver(/kalender/[^"]+)"', made.content.decode())
        feed = Client().get(address.group(1))
        [event] = Calendar.from_ical(feed.content).walk("VEVENT")
        assert event.decoded("DTSTART") == wita(2026, 5, 12, 8, 30)
        assert "Kejaksaan Negeri" in str(event["DESCRIPTION"])

    # The reminder comes the day before, at 07:00 WITA.
    with time_machine.travel(wita(2026, 5, 11, 7), tick=False):
        reminders_send.delay().get()
    for facilitator in (staff, colleague):
        [reminder] = [m for m in mail.outbox if m.to == [facilitator.email]]
        assert "08:30–10:30 WITA · SD NEGERI 001 PENAJAM" in reminder.body

    # After the visit: attendance and photos.
    with time_machine.travel(wita(2026, 5, 12, 13), tick=False):
        recorded = staff_client.post(
            reverse("visits:record", args=[visit.pk]),
            {
                "students_male": "51",
                "students_female": "49",
                "teachers_male": "3",
                "teachers_female": "4",
                "parents_male": "0",
                "parents_female": "0",
                "others": "1",
                "notes": "",
                "photos": [photo("1.jpg"), photo("2.jpg")],
                "photo_consent": "on",
            },
        )
        assert recorded.status_code == 302

    # The school shows as reached.
    [reached] = visits_done(starts_on=date(2026, 5, 1), ends_on=date(2026, 5, 31))
    assert reached.school == school
    assert reached.participants == 108
    assert reached.photos.count() == 2


def test_a_village_head_requests_and_staff_find_it(
    client, public_site, staff_client, village, settings, django_capture_on_commit_callbacks
):
    settings.STAFF_NOTIFY_EMAILS = ["sosialisasi@dp3ap2kb.example.id"]
    with (
        time_machine.travel(wita(2026, 3, 2, 10), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(
            reverse("visit_request"),
            {
                "target": "desa",
                "village": village.pk,
                "contact_name": "Pak Sutrisno",
                "contact_role": "Kepala Desa",
                "contact_phone": "0813 5555 6666",
                "preferred_date": "2026-03-20",
                "time_slot": "pagi",
                "expected_participants": "70",
            },
        )
    reference = Visit.objects.get().reference
    assert reference in mail.outbox[0].subject
    requested = staff_client.get(reverse("visits:index"), {"status": "requested"})
    assert "Desa Giri Mukti" in requested.content.decode()
    found = staff_client.get(reverse("visits:index"), {"q": reference})
    assert "Desa Giri Mukti" in found.content.decode()
