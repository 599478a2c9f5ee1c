"""Writes for campaigns and visits: scheduling, status changes, recording what happened,
public requests and calendar feed addresses. The emails about visits are in emails.py."""

import secrets
from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.models import Collection

from campaigns.models import (
    MAX_PHOTOS,
    CalendarFeed,
    Campaign,
    PartnerMember,
    Visit,
    VisitPhoto,
    VisitStatus,
    VisitStatusChange,
)
from cms.district import district_zone, local, local_today
from cms.localtime import months_before

# Where a visit may go next. Done is reached by recording the visit (visit_record).
TRANSITIONS = {
    VisitStatus.REQUESTED: [VisitStatus.SCHEDULED, VisitStatus.CANCELLED],
    VisitStatus.SCHEDULED: [VisitStatus.DONE, VisitStatus.POSTPONED, VisitStatus.CANCELLED],
    VisitStatus.POSTPONED: [VisitStatus.SCHEDULED, VisitStatus.CANCELLED],
    VisitStatus.DONE: [],
    VisitStatus.CANCELLED: [],
}
NEEDS_REASON = {VisitStatus.CANCELLED, VisitStatus.POSTPONED}
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
            % {
                "from": current.get_status_display().lower(),
                "to": VisitStatus(to_status).label.lower(),
            }
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


def _save_photo(visit: Visit, upload, by, now: datetime) -> VisitPhoto:
    image = get_image_model()(
        title=f"{visit.target} · {local(visit.starts_at):%d-%m-%Y}",
        file=upload,
        collection=_photo_collection(),
        uploaded_by_user=by,
    )
    image._set_image_file_metadata()
    image.save()
    return VisitPhoto.objects.create(
        visit=visit, image=image, consent_confirmed_by=by, consent_confirmed_at=now
    )


@transaction.atomic
def visit_record(
    *,
    visit: Visit,
    by,
    attendance: dict[str, int],
    notes: str = "",
    new_photos=(),
    photo_consent: bool = False,
    remove_photos=(),
) -> Visit:
    """Record what happened: attendance, notes and photos. A scheduled visit becomes
    done; a done visit can be corrected. New photos need `photo_consent`: the one
    recording confirms that the school or the parents agreed, and each photo keeps
    who confirmed it and when."""
    current = Visit.objects.select_for_update().get(pk=visit.pk)
    if current.status not in (VisitStatus.SCHEDULED, VisitStatus.DONE):
        raise ValidationError(
            _("Only a scheduled visit can be recorded; this one is %(status)s.")
            % {"status": current.get_status_display().lower()}
        )
    if local(current.starts_at).date() > local(timezone.now()).date():
        raise ValidationError(
            _("This visit is on %(date)s: record it on or after that day.")
            % {"date": f"{local(current.starts_at):%d-%m-%Y}"}
        )
    if new_photos and not photo_consent:
        raise ValidationError(
            {
                "photo_consent": _(
                    "Confirm that the school or the parents agreed to the photos before "
                    "adding them."
                )
            }
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
    current.status = VisitStatus.DONE
    if from_status != VisitStatus.DONE:
        current.ics_sequence += 1
    current.full_clean()
    current.save()
    if from_status != VisitStatus.DONE:
        _log_status(current, from_status=from_status, by=by)
    # The photos are only this visit's: delete their images from the library too.
    for photo in current.photos.filter(pk__in=remove_ids).select_related("image"):
        photo.image.delete()
    now = timezone.now()
    for upload in new_photos:
        _save_photo(current, upload, by, now)
    return current


def visit_photos_delete_expired(*, now: datetime | None = None) -> int:
    """Delete the photos of visits older than VISIT_PHOTO_RETENTION_MONTHS, with their
    images; Wagtail deletes the image files and their renditions once the deletion is
    committed. Returns how many photos were deleted."""
    cutoff = months_before(now or timezone.now(), settings.VISIT_PHOTO_RETENTION_MONTHS)
    expired = VisitPhoto.objects.filter(visit__starts_at__lt=cutoff).select_related("image")
    deleted = 0
    for photo in expired.iterator():
        with transaction.atomic():
            photo.image.delete()  # the VisitPhoto row goes with it (CASCADE)
        deleted += 1
    return deleted


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
# Request times as the form offers them (local).
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
    zone = district_zone()
    visit = visit_create(
        by=None,
        status=VisitStatus.REQUESTED,
        campaign=request_inbox(year=local_today().year),
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


@transaction.atomic
def partner_members_set(*, memberships: list[tuple]) -> None:
    """Make each partner user a member of their agency, or of none: (user, agency or
    None) pairs."""
    for user, agency in memberships:
        if agency is None:
            PartnerMember.objects.filter(user=user).delete()
        else:
            PartnerMember.objects.update_or_create(user=user, defaults={"agency": agency})
