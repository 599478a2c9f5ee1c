"""Each agency's contact gets an email a week before an action is due and when it
becomes overdue, each once (the visit reminders' never-twice rule)."""

import datetime as dt
import smtplib

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings
from django.core import mail

from cms import mail as claimed_mail
from cms.models import EmailStatus
from monitoring import services
from monitoring.models import ActionEmail, ActionEmailKind, ActionStatus
from monitoring.tasks import action_reminders_send
from tests.campaigns.factories import wita
from tests.monitoring.meeting_data import action, agency, meeting, staff

pytestmark = pytest.mark.django_db
POLRES = "humas@polres-ppu.example.id"


@pytest.fixture
def due_31_october(db):
    """Polres' action due on 31 October 2026, Pengadilan Agama's on 30 November; only
    Polres has a contact email."""
    polres = agency("Polres")
    polres.contact_email = POLRES
    polres.save()
    by = staff()
    held = meeting(by)
    action(held, by, agency_name="Pengadilan Agama", due_on=dt.date(2026, 11, 30))
    return action(held, by, due_on=dt.date(2026, 10, 31))


def run(day: dt.date) -> dict:
    with time_machine.travel(wita(day.year, day.month, day.day, 7, 5), tick=False):
        return action_reminders_send.apply(throw=True).result


def test_beat_runs_the_reminders_every_morning_wita():
    entry = settings.CELERY_BEAT_SCHEDULE["monitoring-action-reminders"]
    assert entry["task"] == "monitoring.tasks.action_reminders_send"
    assert entry["schedule"] == crontab(hour=7, minute=5)


def test_a_week_before_and_once_overdue_each_once(due_31_october):
    assert run(dt.date(2026, 10, 23)) == {"sent": 0, "failed": 0}  # eight days before
    assert run(dt.date(2026, 10, 24)) == {"sent": 1, "failed": 0}
    assert mail.outbox[0].to == [POLRES]
    assert due_31_october.what in mail.outbox[0].body
    assert run(dt.date(2026, 10, 25)) == {"sent": 0, "failed": 0}
    assert run(dt.date(2026, 10, 31)) == {"sent": 0, "failed": 0}  # due today: not late
    assert run(dt.date(2026, 11, 1)) == {"sent": 1, "failed": 0}
    assert run(dt.date(2026, 11, 2)) == {"sent": 0, "failed": 0}
    assert len(mail.outbox) == 2
    assert set(ActionEmail.objects.values_list("kind", "status")) == {
        (ActionEmailKind.DUE_SOON, EmailStatus.SENT),
        (ActionEmailKind.OVERDUE, EmailStatus.SENT),
    }


def test_done_and_cancelled_actions_get_no_reminder(due_31_october):
    services.action_update(action=due_31_october, by=staff("staf-2"), status=ActionStatus.DONE)
    assert run(dt.date(2026, 11, 1)) == {"sent": 0, "failed": 0}
    assert mail.outbox == []


def test_a_refused_email_is_sent_on_the_retry_and_a_lost_claim_never(due_31_october, monkeypatch):
    real, refused = claimed_mail.send_mail, []

    def refuse_once(subject, body, from_email, recipients):
        if not refused:
            refused.append(recipients[0])
            raise smtplib.SMTPRecipientsRefused({recipients[0]: (451, b"try later")})
        return real(subject, body, from_email, recipients)

    monkeypatch.setattr(claimed_mail, "send_mail", refuse_once)
    with time_machine.travel(wita(2026, 10, 24, 7, 5), tick=False):
        result = action_reminders_send.apply(throw=False)
    assert result.state == "SUCCESS" and result.result == {"sent": 1, "failed": 0}
    assert len(mail.outbox) == 1
    # A worker killed after claiming the overdue reminder: never sent again.
    ActionEmail.objects.create(
        action=due_31_october,
        kind=ActionEmailKind.OVERDUE,
        recipient=POLRES,
        status=EmailStatus.CLAIMED,
    )
    assert run(dt.date(2026, 11, 1)) == {"sent": 0, "failed": 0}
    assert len(mail.outbox) == 1
