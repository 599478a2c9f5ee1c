"""Reminders about follow-up actions to each agency's contact: one a week before an
action is due, one when it becomes overdue, each at most once.

The same never-twice rule as the visit reminders (cms/mail.py): each reminder is
claimed by inserting its ActionEmail row (unique on action, kind and recipient) and
committing, and only then sent. Deliberately not atomic: each claim is committed before
its email goes out.
"""

import logging
from collections import defaultdict
from datetime import date, timedelta

from django.urls import reverse

from cms.links import absolute_url
from cms.mail import email_claim, email_deliver
from monitoring.meetings import open_actions
from monitoring.models import ActionEmail, ActionEmailKind

logger = logging.getLogger(__name__)
# The first reminder goes this many days before the due date.
DUE_SOON_DAYS = 7


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
            if (claim := email_claim(ActionEmail, action=action, kind=kind, recipient=recipient))
        ]
        if not claims:
            continue
        claimed = {claim.action_id for claim in claims}
        url = absolute_url(reverse("follow_up:index"))
        delivered = email_deliver(
            claims,
            recipient=recipient,
            template="monitoring/email/action_reminder.txt",
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
