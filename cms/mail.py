"""Emails sent at most once (the visit reminders, the follow-up action reminders).

Each email is first claimed by inserting its row (a cms.models.ClaimedEmail, unique on
what it is about, its kind and recipient) and committing, and only then sent. A rerun
of the task (a Celery retry, a redelivery after a killed worker, beat firing twice)
finds the row and skips it. If a worker dies between the claim and the end of sending,
the row stays "claimed" and is never sent again: we cannot know whether the mail server
accepted the message, and never twice is the rule, so a rare missed reminder is the
price. When sending raises, the server refused the message, so the row is marked
failed and the next run may claim it again.

Deliberately not atomic: each claim must be committed before its email goes out.
"""

import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from cms.district import district_zone, profile
from cms.models import ClaimedEmail, EmailStatus

logger = logging.getLogger(__name__)


def email_claim(model: type[ClaimedEmail], *, recipient: str, **about) -> ClaimedEmail | None:
    """The committed claim of the email `about` (its subject row and kind) to
    `recipient`; None when it was claimed or sent before. One refused before is claimed
    again."""
    recipient = recipient.strip().lower()
    try:
        with transaction.atomic():
            return model.objects.create(recipient=recipient, status=EmailStatus.CLAIMED, **about)
    except IntegrityError:
        retried = model.objects.filter(
            recipient=recipient, status=EmailStatus.FAILED, **about
        ).update(status=EmailStatus.CLAIMED, claimed_at=timezone.now(), error="")
        if retried:
            return model.objects.get(recipient=recipient, **about)
        return None


def email_deliver(
    claims: list[ClaimedEmail], *, recipient: str, template: str, context: dict
) -> bool:
    """Send one email (`template`'s first line is its subject, in Indonesian and the
    district's zone, `district_profile` naming the office) for the claimed rows and record the
    outcome on them."""
    with translation.override(settings.LANGUAGE_CODE), timezone.override(district_zone()):
        subject, _blank, body = render_to_string(
            template, {"district_profile": profile(), **context}
        ).partition("\n")
    rows = type(claims[0]).objects.filter(pk__in=[claim.pk for claim in claims])
    try:
        send_mail(subject.strip(), body.strip() + "\n", None, [recipient])
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("Email to %s failed: %s", recipient, error)
        rows.update(status=EmailStatus.FAILED, error=str(error)[:1000])
        return False
    rows.update(status=EmailStatus.SENT, sent_at=timezone.now())
    return True
