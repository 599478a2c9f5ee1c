"""Emails about visits: the daily reminders and the staff's notice of a public request.

Each at most once, by claiming its VisitEmail row (unique on visit, kind and recipient)
before sending (cms/mail.py). A claim left by a killed worker shows on the visit's page
as "Sending". These functions are deliberately not atomic: each claim must be committed
before its email goes out.
"""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse

from campaigns import selectors
from campaigns.models import Visit, VisitEmail, VisitEmailKind
from cms.links import absolute_url
from cms.mail import email_claim, email_deliver

logger = logging.getLogger(__name__)


def admin_url(visit: Visit) -> str:
    return absolute_url(reverse("visits:inspect", args=[visit.pk]))


def reminders_send(*, today: date) -> dict[str, int]:
    """The day's reminders: each facilitator gets tomorrow's visits in one email, and
    each school or village contact a confirmation when its visit is at most
    VISIT_CONFIRMATION_DAYS days away. Returns how many went out and failed."""
    counts = {"sent": 0, "failed": 0}

    def tally(delivered: bool) -> None:
        counts["sent" if delivered else "failed"] += 1

    tomorrow = today + timedelta(days=1)
    for facilitator, visits in selectors.facilitator_agendas(day=tomorrow).items():
        claims = [
            claim
            for visit in visits
            if (
                claim := email_claim(
                    VisitEmail,
                    visit=visit,
                    kind=VisitEmailKind.FACILITATOR_REMINDER,
                    recipient=facilitator.email,
                )
            )
        ]
        if claims:
            claimed = {claim.visit_id for claim in claims}
            tally(
                email_deliver(
                    claims,
                    recipient=facilitator.email,
                    template="campaigns/email/facilitator_reminder.txt",
                    context={
                        "facilitator": facilitator,
                        "day": tomorrow,
                        "visits": [
                            (visit, admin_url(visit)) for visit in visits if visit.pk in claimed
                        ],
                    },
                )
            )

    last_day = today + timedelta(days=settings.VISIT_CONFIRMATION_DAYS)
    for visit in selectors.visits_to_confirm(first_day=tomorrow, last_day=last_day):
        recipient = visit.contact_email or (visit.school.email if visit.school else "")
        if not recipient:
            continue
        claim = email_claim(
            VisitEmail, visit=visit, kind=VisitEmailKind.CONTACT_CONFIRMATION, recipient=recipient
        )
        if claim:
            tally(
                email_deliver(
                    [claim],
                    recipient=recipient,
                    template="campaigns/email/contact_confirmation.txt",
                    context={"visit": visit, "partners": list(visit.partners.all())},
                )
            )
    return counts


def visit_request_notify(*, visit: Visit) -> dict[str, int]:
    """Tell the staff (settings.STAFF_NOTIFY_EMAILS) about a new public request."""
    counts = {"sent": 0, "failed": 0}
    if not settings.STAFF_NOTIFY_EMAILS:
        logger.warning("Visit request %s: STAFF_NOTIFY_EMAILS is empty", visit.reference)
    for recipient in settings.STAFF_NOTIFY_EMAILS:
        claim = email_claim(
            VisitEmail, visit=visit, kind=VisitEmailKind.STAFF_REQUEST, recipient=recipient
        )
        if claim:
            delivered = email_deliver(
                [claim],
                recipient=recipient,
                template="campaigns/email/staff_request.txt",
                context={
                    "visit": visit,
                    "topics": list(visit.topics.all()),
                    "url": admin_url(visit),
                },
            )
            counts["sent" if delivered else "failed"] += 1
    return counts
