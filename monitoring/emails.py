"""Reminders about follow-up actions to each agency's contact: one a week before an
action is due, one when it becomes overdue, each at most once.

The same never-twice rule as the visit reminders (campaigns/emails.py): each reminder
is claimed by inserting its ActionEmail row (unique on action, kind and recipient) and
committing, and only then sent; a rerun finds the row and skips it. A worker killed
between the claim and the send leaves the row "claimed" and the reminder unsent,
rather than risk sending it twice; a refused send marks it failed, and the next run
may claim it again. Deliberately not atomic: each claim is committed before its email
goes out.
"""

import logging
import smtplib
from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from cms.links import absolute_url
from monitoring.meetings import open_actions
from monitoring.models import ActionEmail, ActionEmailKind, ActionEmailStatus, FollowUpAction

logger = logging.getLogger(__name__)
# The first reminder goes this many days before the due date.
DUE_SOON_DAYS = 7


def _claim(*, action: FollowUpAction, kind: str, recipient: str) -> ActionEmail | None:
    try:
        with transaction.atomic():
            return ActionEmail.objects.create(
                action=action, kind=kind, recipient=recipient, status=ActionEmailStatus.CLAIMED
            )
    except IntegrityError:
        retried = ActionEmail.objects.filter(
            action=action, kind=kind, recipient=recipient, status=ActionEmailStatus.FAILED
        ).update(status=ActionEmailStatus.CLAIMED, claimed_at=timezone.now(), error="")
        if retried:
            return ActionEmail.objects.get(action=action, kind=kind, recipient=recipient)
        return None


def _deliver(claims: list[ActionEmail], *, recipient: str, context: dict) -> bool:
    zone = timezone.get_default_timezone()
    with translation.override(settings.LANGUAGE_CODE), timezone.override(zone):
        text = render_to_string("monitoring/email/action_reminder.txt", context)
    subject, _blank, body = text.partition("\n")
    ids = [claim.pk for claim in claims]
    try:
        send_mail(subject.strip(), body.strip() + "\n", None, [recipient])
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("Email to %s failed: %s", recipient, error)
        ActionEmail.objects.filter(pk__in=ids).update(
            status=ActionEmailStatus.FAILED, error=str(error)[:1000]
        )
        return False
    ActionEmail.objects.filter(pk__in=ids).update(
        status=ActionEmailStatus.SENT, sent_at=timezone.now()
    )
    return True


def action_reminders_send(*, today: date) -> dict[str, int]:
    """For each agency with a contact email, one email listing its open actions due
    within DUE_SOON_DAYS days and those past due that were not reminded of yet.
    Returns how many emails went out and failed."""
    counts = {"sent": 0, "failed": 0}
    due_by = today + timedelta(days=DUE_SOON_DAYS)
    per_agency = defaultdict(list)
    for action in open_actions().filter(due_on__lte=due_by).exclude(agency__contact_email=""):
        kind = ActionEmailKind.OVERDUE if action.due_on < today else ActionEmailKind.DUE_SOON
        per_agency[action.agency].append((action, kind))
    for agency, due in per_agency.items():
        recipient = agency.contact_email.strip().lower()
        claims = [
            claim
            for action, kind in due
            if (claim := _claim(action=action, kind=kind, recipient=recipient))
        ]
        if not claims:
            continue
        claimed = {claim.action_id for claim in claims}
        url = absolute_url(reverse("follow_up:index"))
        delivered = _deliver(
            claims,
            recipient=recipient,
            context={
                "agency": agency,
                "overdue": [
                    a for a, kind in due if a.pk in claimed and kind == ActionEmailKind.OVERDUE
                ],
                "due_soon": [
                    a for a, kind in due if a.pk in claimed and kind == ActionEmailKind.DUE_SOON
                ],
                "url": url,
            },
        )
        counts["sent" if delivered else "failed"] += 1
    return counts
