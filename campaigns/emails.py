"""Emails about visits: the daily reminders and the staff's notice of a public request.

At most once: each email is first claimed by inserting its VisitEmail row (unique on
visit, kind and recipient) and committing, and only then sent. A rerun of the task (a
Celery retry, a redelivery after a killed worker, beat firing twice) finds the row and
skips it. If a worker dies between the claim and the end of sending, the row stays
"claimed" and is never sent again: we cannot know whether the mail server accepted the
message, and the issue asks for never twice, so a rare missed reminder (visible in the
visit's page as "Sending") is the price. When sending raises, the server refused the
message, so the row is marked failed and the next run may claim it again.

These functions are deliberately not atomic: each claim must be committed before its
email goes out.
"""

import logging
import smtplib
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from campaigns import selectors
from campaigns.models import Visit, VisitEmail, VisitEmailKind, VisitEmailStatus
from cms.links import absolute_url

logger = logging.getLogger(__name__)


def _claim(*, visit: Visit, kind: str, recipient: str) -> VisitEmail | None:
    recipient = recipient.strip().lower()
    try:
        with transaction.atomic():
            return VisitEmail.objects.create(
                visit=visit, kind=kind, recipient=recipient, status=VisitEmailStatus.CLAIMED
            )
    except IntegrityError:
        retried = VisitEmail.objects.filter(
            visit=visit, kind=kind, recipient=recipient, status=VisitEmailStatus.FAILED
        ).update(status=VisitEmailStatus.CLAIMED, claimed_at=timezone.now(), error="")
        if retried:
            return VisitEmail.objects.get(visit=visit, kind=kind, recipient=recipient)
        return None


def _deliver(claims: list[VisitEmail], *, recipient: str, template: str, context: dict) -> bool:
    """Send one email for the claimed rows and record the outcome on them."""
    zone = timezone.get_default_timezone()
    with translation.override(settings.LANGUAGE_CODE), timezone.override(zone):
        subject, _blank, body = render_to_string(template, context).partition("\n")
    ids = [claim.pk for claim in claims]
    try:
        send_mail(subject.strip(), body.strip() + "\n", None, [recipient])
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("Email to %s failed: %s", recipient, error)
        VisitEmail.objects.filter(pk__in=ids).update(
            status=VisitEmailStatus.FAILED, error=str(error)[:1000]
        )
        return False
    VisitEmail.objects.filter(pk__in=ids).update(
        status=VisitEmailStatus.SENT, sent_at=timezone.now()
    )
    return True


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
                claim := _claim(
                    visit=visit,
                    kind=VisitEmailKind.FACILITATOR_REMINDER,
                    recipient=facilitator.email,
                )
            )
        ]
        if claims:
            claimed = {claim.visit_id for claim in claims}
            tally(
                _deliver(
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
        claim = _claim(visit=visit, kind=VisitEmailKind.CONTACT_CONFIRMATION, recipient=recipient)
        if claim:
            tally(
                _deliver(
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
        claim = _claim(visit=visit, kind=VisitEmailKind.STAFF_REQUEST, recipient=recipient)
        if claim:
            delivered = _deliver(
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
