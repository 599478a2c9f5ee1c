"""Writes for campaigns and visits: scheduling, status changes, recording what happened,
public requests, calendar feed addresses and the emails about visits."""

import logging
import secrets
import smtplib
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.models import Collection

from campaigns import selectors
from campaigns.models import (
    MAX_PHOTOS,
    CalendarFeed,
    Campaign,
    Visit,
    VisitEmail,
    VisitEmailKind,
    VisitEmailStatus,
    VisitPhoto,
    VisitStatus,
    VisitStatusChange,
    wita,
)

logger = logging.getLogger(__name__)

S = VisitStatus
# Where a visit may go next. Done is reached by recording the visit (visit_record).
TRANSITIONS = {
    S.REQUESTED: [S.SCHEDULED, S.CANCELLED],
    S.SCHEDULED: [S.DONE, S.POSTPONED, S.CANCELLED],
    S.POSTPONED: [S.SCHEDULED, S.CANCELLED],
    S.DONE: [],
    S.CANCELLED: [],
}
NEEDS_REASON = {S.CANCELLED, S.POSTPONED}
RELATIONS = ("facilitators", "partners", "audiences", "topics", "materials")
PHOTO_COLLECTION = "Foto kunjungan"


def _set_relations(visit: Visit, relations: dict) -> None:
    for name, values in relations.items():
        if values is not None:
            getattr(visit, name).set(values)


def _log_status(visit: Visit, *, from_status: str, by, reason: str = "") -> None:
    VisitStatusChange.objects.create(
        visit=visit,
        from_status=from_status,
        to_status=visit.status,
        reason=reason,
        changed_by=by,
    )


@transaction.atomic
def visit_create(
    *,
    by,
    status: str = VisitStatus.SCHEDULED,
    facilitators=(),
    partners=(),
    audiences=(),
    topics=(),
    materials=(),
    **fields,
) -> Visit:
    """A new visit (scheduled, or requested when it comes from the public form), with
    the first line of its status log."""
    visit = Visit(status=status, created_by=by, **fields)
    visit.full_clean()
    visit.save()
    _set_relations(
        visit,
        {
            "facilitators": facilitators,
            "partners": partners,
            "audiences": audiences,
            "topics": topics,
            "materials": materials,
        },
    )
    _log_status(visit, from_status="", by=by)
    return visit


@transaction.atomic
def visit_update(*, visit: Visit, by, **changes) -> Visit:
    """Edit a visit's details (not its status). A change of time or target raises the
    calendar SEQUENCE so phones move their copy of the event."""
    relations = {name: changes.pop(name) for name in RELATIONS if name in changes}
    current = Visit.objects.select_for_update().get(pk=visit.pk)
    moved = any(
        name in changes and changes[name] != getattr(current, name)
        for name in ("starts_at", "ends_at", "school", "village", "venue")
    )
    for name, value in changes.items():
        setattr(current, name, value)
    if moved:
        current.ics_sequence += 1
    current.full_clean()
    current.save()
    _set_relations(current, relations)
    return current


@transaction.atomic
def visit_change_status(*, visit: Visit, to_status: str, by, reason: str = "") -> Visit:
    """Move a visit along requested → scheduled → done, or to cancelled / postponed
    with a reason. Every change is logged and bumps the calendar SEQUENCE."""
    current = Visit.objects.select_for_update().get(pk=visit.pk)
    if to_status not in TRANSITIONS[current.status]:
        raise ValidationError(
            _("A visit that is %(from)s cannot become %(to)s.")
            % {"from": current.get_status_display().lower(), "to": S(to_status).label.lower()}
        )
    reason = reason.strip()
    if to_status in NEEDS_REASON and not reason:
        raise ValidationError({"reason": _("Give the reason, for the school and the report.")})
    from_status = current.status
    current.status = to_status
    current.status_reason = reason
    current.ics_sequence += 1
    current.full_clean()
    current.save()
    _log_status(current, from_status=from_status, by=by, reason=reason)
    return current


def _photo_collection() -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=PHOTO_COLLECTION).first()
    return existing or root.add_child(name=PHOTO_COLLECTION)


def _save_photo(visit: Visit, upload, by) -> VisitPhoto:
    image = get_image_model()(
        title=f"{visit.target} · {wita(visit.starts_at):%d-%m-%Y}",
        file=upload,
        collection=_photo_collection(),
        uploaded_by_user=by,
    )
    image._set_image_file_metadata()
    image.save()
    return VisitPhoto.objects.create(visit=visit, image=image)


@transaction.atomic
def visit_record(
    *,
    visit: Visit,
    by,
    attendance: dict[str, int],
    notes: str = "",
    new_photos=(),
    remove_photos=(),
) -> Visit:
    """Record what happened: attendance, notes and photos. A scheduled visit becomes
    done; a done visit can be corrected."""
    current = Visit.objects.select_for_update().get(pk=visit.pk)
    if current.status not in (S.SCHEDULED, S.DONE):
        raise ValidationError(
            _("Only a scheduled visit can be recorded; this one is %(status)s.")
            % {"status": current.get_status_display().lower()}
        )
    if wita(current.starts_at).date() > wita(timezone.now()).date():
        raise ValidationError(
            _("This visit is on %(date)s: record it on or after that day.")
            % {"date": f"{wita(current.starts_at):%d-%m-%Y}"}
        )
    remove_ids = {photo.pk for photo in remove_photos}
    kept = current.photos.exclude(pk__in=remove_ids).count()
    if kept + len(new_photos) > MAX_PHOTOS:
        raise ValidationError(
            {
                "photos": _(
                    "A visit keeps at most %(max)d photos: it has %(kept)d, so add at "
                    "most %(room)d more."
                )
                % {"max": MAX_PHOTOS, "kept": kept, "room": max(MAX_PHOTOS - kept, 0)}
            }
        )
    for name, value in attendance.items():
        setattr(current, name, value)
    current.notes = notes
    from_status = current.status
    current.status = S.DONE
    if from_status != S.DONE:
        current.ics_sequence += 1
    current.full_clean()
    current.save()
    if from_status != S.DONE:
        _log_status(current, from_status=from_status, by=by)
    # The photos are only this visit's: delete their images from the library too.
    for photo in current.photos.filter(pk__in=remove_ids).select_related("image"):
        photo.image.delete()
    for upload in new_photos:
        _save_photo(current, upload, by)
    return current


@transaction.atomic
def visit_delete(*, visit: Visit) -> None:
    """Delete a visit with its photos' images, which nothing else uses: photos of
    children must not linger in the image library."""
    for photo in visit.photos.select_related("image"):
        photo.image.delete()
    visit.delete()


# Public requests


# Unambiguous when read aloud or typed from paper: no 0/O, 1/I/L.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
# Request times as the form offers them (WITA).
TIME_SLOTS = {
    "pagi": (time(8, 0), time(10, 0)),
    "siang": (time(10, 0), time(12, 0)),
    "sore": (time(14, 0), time(16, 0)),
}


def new_reference() -> str:
    """E.g. "K7QM-3XRT": 8 random characters (31^8, about 8.5 × 10^11 codes), from
    the secrets module, never derived from the id, so a reference cannot be guessed
    from another one."""
    while True:
        code = "".join(secrets.choice(REFERENCE_ALPHABET) for _position in range(8))
        reference = f"{code[:4]}-{code[4:]}"
        if not Visit.objects.filter(reference=reference).exists():
            return reference


def request_inbox(*, year: int) -> Campaign:
    """The campaign that holds the year's public requests until staff schedule them in
    a real campaign. Named in Indonesian whatever the visitor's language."""
    with translation.override(settings.LANGUAGE_CODE):
        name = _("School and village requests %(year)d") % {"year": year}
        description = _(
            "Sessions asked for through the public form. Move each one to a campaign "
            "when you schedule it."
        )
    campaign, _created = Campaign.objects.get_or_create(
        is_request_inbox=True,
        starts_on=date(year, 1, 1),
        defaults={"name": name, "description": description, "ends_on": date(year, 12, 31)},
    )
    return campaign


@transaction.atomic
def visit_request(
    *,
    school=None,
    village=None,
    preferred_date: date,
    time_slot: str,
    topics=(),
    **details,
) -> Visit:
    """A school or village asks for a session: a requested visit in the year's request
    inbox, with a reference number. Staff are emailed once the request is saved."""
    start, end = TIME_SLOTS[time_slot]
    zone = timezone.get_default_timezone()
    visit = visit_create(
        by=None,
        status=VisitStatus.REQUESTED,
        campaign=request_inbox(year=timezone.localdate().year),
        school=school,
        village=village,
        starts_at=datetime.combine(preferred_date, start, tzinfo=zone),
        ends_at=datetime.combine(preferred_date, end, tzinfo=zone),
        reference=new_reference(),
        topics=topics,
        **details,
    )
    from campaigns import tasks

    # robust: the request is saved either way; a failed email must not become an error
    # page for the requester (it only can when tasks run eagerly, without a broker).
    transaction.on_commit(lambda: tasks.visit_request_notify.delay(visit.pk), robust=True)
    return visit


# Calendar feeds


@transaction.atomic
def calendar_feed_create(*, by, user=None, campaign=None) -> str:
    """A new secret address for a staff member's or a campaign's calendar, replacing
    the old one. Returns the token; only its hash is kept."""
    calendar_feed_revoke(user=user, campaign=campaign)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed(
        token_hash=CalendarFeed.hash_token(token), user=user, campaign=campaign, created_by=by
    )
    feed.full_clean()
    feed.save()
    return token


def calendar_feed_revoke(*, user=None, campaign=None) -> int:
    """Turn off the active address; it answers 404 from now on."""
    feeds = CalendarFeed.objects.filter(revoked_at__isnull=True)
    feeds = feeds.filter(user=user) if user is not None else feeds.filter(campaign=campaign)
    return feeds.update(revoked_at=timezone.now())


# Emails about visits
#
# At most once: each email is first claimed by inserting its VisitEmail row (unique
# on visit, kind and recipient) and committing, and only then sent. A rerun of the
# task (a Celery retry, a redelivery after a killed worker, beat firing twice) finds
# the row and skips it. If a worker dies between the claim and the end of sending,
# the row stays "claimed" and is never sent again: we cannot know whether the mail
# server accepted the message, and the issue asks for never twice, so a rare missed
# reminder (visible in the visit's page as "Sending") is the price. When sending
# raises, the server refused the message, so the row is marked failed and the next
# run may claim it again.
#
# These functions are deliberately not atomic: each claim must be committed before
# its email goes out.


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
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("visits:inspect", args=[visit.pk])


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
