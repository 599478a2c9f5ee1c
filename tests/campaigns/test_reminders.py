"""Reminders: each day at 07:00 WITA, facilitators get tomorrow's visits and the school's
contact a confirmation some days before. Never twice for the same visit, recipient and
kind, even when the task is retried or its worker dies."""

import smtplib
import time
from datetime import timedelta

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.utils import timezone

from campaigns.models import PartnerAgency, VisitEmail, VisitEmailKind
from campaigns.tasks import reminders_send
from cms import mail as claimed_mail
from cms.models import EmailStatus
from tests.campaigns.factories import UserFactory, VisitFactory, wita
from tests.schools.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def test_beat_runs_the_reminders_at_seven_wita():
    entry = settings.CELERY_BEAT_SCHEDULE["campaigns-visit-reminders"]
    assert entry["task"] == "campaigns.tasks.reminders_send"
    assert entry["schedule"] == crontab(hour=7, minute=0)
    assert settings.CELERY_TIMEZONE == "Asia/Makassar"
    assert settings.VISIT_CONFIRMATION_DAYS == 3


@pytest.fixture
def andi(db):
    return UserFactory(username="andi", first_name="Andi", last_name="Pratama")


@pytest.fixture
def visit(school, campaign, staff, andi):
    return VisitFactory(
        school=school,
        campaign=campaign,
        starts_at=wita(2026, 5, 12, 9),
        facilitators=[staff, andi],
        venue="Aula",
        contact_name="Bu Sari",
        contact_email="sari@example.id",
    )


def sent_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def run(day=None):
    return reminders_send.delay(day).get()


@time_machine.travel(wita(2026, 5, 11, 7), tick=False)
def test_facilitators_get_tomorrows_visits_the_day_before(visit, staff, andi):
    counts = run()
    for facilitator in (staff, andi):
        [message] = sent_to(facilitator.email)
        assert message.subject == "Pengingat: 1 kunjungan besok, Selasa, 12 Mei 2026"
        assert "09:00–11:00 WITA · SD NEGERI 001 PENAJAM" in message.body
        assert "Aula" in message.body and "Bu Sari" in message.body
        assert f"/admin/kunjungan/inspect/{visit.pk}/" in message.body
    [confirmation] = sent_to("sari@example.id")
    assert confirmation.subject == "Konfirmasi: sosialisasi pada 12 Mei 2026"
    assert "Yth. Bu Sari," in confirmation.body
    assert counts == {"sent": 3, "failed": 0}


@time_machine.travel(wita(2026, 5, 11, 7), tick=False)
def test_the_reminder_names_the_partner_agencies(visit, staff):
    visit.partners.set(PartnerAgency.objects.filter(name__in=["Polres", "Kejaksaan Negeri"]))
    run()
    [message] = sent_to(staff.email)
    names = ", ".join(str(partner) for partner in visit.partners.all())
    assert "Polres" in names and "Kejaksaan Negeri" in names
    assert f"Mitra: {names}\n" in message.body


@time_machine.travel(wita(2026, 5, 11, 7), tick=False)
def test_running_again_sends_nothing_twice(visit):
    run()
    run()
    with time_machine.travel(wita(2026, 5, 11, 19), tick=False):
        run("2026-05-11")
    assert len(mail.outbox) == 3
    assert VisitEmail.objects.filter(status=EmailStatus.SENT).count() == 3


@time_machine.travel(wita(2026, 5, 11, 7), tick=False)
def test_one_email_lists_all_of_a_facilitators_visits(visit, staff, campaign):
    VisitFactory(
        school=SchoolFactory(name="SD NEGERI 002 PENAJAM"),
        campaign=campaign,
        starts_at=wita(2026, 5, 12, 13),
        facilitators=[staff],
    )
    run()
    [message] = sent_to(staff.email)
    assert message.subject.startswith("Pengingat: 2 kunjungan besok")
    assert message.body.index("SD NEGERI 001") < message.body.index("SD NEGERI 002")


def test_the_contact_is_confirmed_a_set_number_of_days_before(school, campaign):
    VisitFactory(school=school, campaign=campaign, starts_at=wita(2026, 5, 15, 9), contact_email="")
    with time_machine.travel(wita(2026, 5, 11, 7), tick=False):
        run()
    assert mail.outbox == []
    with time_machine.travel(wita(2026, 5, 12, 7), tick=False):
        run()
    # No contact email on the visit: the school's own address.
    [message] = mail.outbox
    assert message.to == [school.email]
    assert "Yth. Bapak/Ibu," in message.body
    with time_machine.travel(wita(2026, 5, 14, 7), tick=False):
        run()
    assert len(mail.outbox) == 1


@time_machine.travel(wita(2026, 5, 11, 7), tick=False)
def test_only_scheduled_visits_get_reminders(school, campaign, staff):
    for status in ("requested", "cancelled", "postponed", "done"):
        VisitFactory(
            school=school,
            campaign=campaign,
            status=status,
            starts_at=wita(2026, 5, 12, 9),
            facilitators=[staff],
            contact_email="sari@example.id",
        )
    run()
    assert mail.outbox == []


@pytest.fixture
def refusing_once(monkeypatch):
    """The mail server refuses the first message to each listed address."""
    real = claimed_mail.send_mail
    refused = set()

    def send_mail(subject, body, from_email, recipients):
        if recipients[0] in refusing_once.addresses and recipients[0] not in refused:
            refused.add(recipients[0])
            raise smtplib.SMTPRecipientsRefused({recipients[0]: (451, b"try later")})
        return real(subject, body, from_email, recipients)

    monkeypatch.setattr(claimed_mail, "send_mail", send_mail)
    refusing_once.addresses = set()
    return refusing_once


@time_machine.travel(wita(2026, 5, 11, 7), tick=False)
def test_a_retried_task_sends_what_failed_and_nothing_twice(visit, staff, andi, refusing_once):
    refusing_once.addresses = {andi.email}
    # apply() runs the task in-process and follows its retries.
    result = reminders_send.apply(throw=False)
    assert result.state == "SUCCESS"
    assert result.result == {"sent": 1, "failed": 0}  # the retry sent Andi's only
    assert len(sent_to(staff.email)) == 1
    assert len(sent_to(andi.email)) == 1
    assert len(sent_to("sari@example.id")) == 1
    row = VisitEmail.objects.get(recipient=andi.email)
    assert (row.status, row.error) == (EmailStatus.SENT, "")


@time_machine.travel(wita(2026, 5, 11, 7), tick=False)
def test_a_claim_left_by_a_killed_worker_is_not_sent_again(visit, staff, andi):
    # A worker claimed Andi's reminder and died before it could record the outcome:
    # the mail may have gone out, so the rerun must not send it again.
    VisitEmail.objects.create(
        visit=visit,
        kind=VisitEmailKind.FACILITATOR_REMINDER,
        recipient=andi.email,
        status=EmailStatus.CLAIMED,
    )
    run()
    assert sent_to(andi.email) == []
    assert len(sent_to(staff.email)) == 1


def test_the_day_is_the_wita_day(visit, staff):
    # 23:30 UTC on 10 May is 07:30 WITA on 11 May: the visit on the 12th is tomorrow.
    with time_machine.travel("2026-05-10 23:30:00+00:00", tick=False):
        run()
    assert len(sent_to(staff.email)) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_never_sends_twice_when_the_task_is_delivered_twice(live_worker):
    school = SchoolFactory()
    day = timezone.localdate() + timedelta(days=1)
    VisitFactory(
        school=school,
        starts_at=wita(day.year, day.month, day.day, 9),
        facilitators=[UserFactory(username="budi"), UserFactory(username="citra")],
        contact_email="kepala@example.id",
    )
    # Two deliveries at once, as after a broker redelivery or beat firing twice.
    reminders_send.delay()
    reminders_send.delay()
    deadline = time.monotonic() + 30
    while VisitEmail.objects.filter(status=EmailStatus.SENT).count() < 3:
        assert time.monotonic() < deadline, "the worker did not send the reminders"
        time.sleep(0.2)
    time.sleep(1)
    assert VisitEmail.objects.count() == 3
    assert set(VisitEmail.objects.values_list("status", flat=True)) == {EmailStatus.SENT}
