"""Writes for the coordination meetings: a meeting with its attendance, its decisions
and follow-up actions, and the updates to those actions. Every change says who made it
and when: an action's updates are its history; a meeting's edits go to Wagtail's log."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from campaigns.models import PartnerAgency
from campaigns.selectors import partner_agency_of
from monitoring.meetings import UPDATE_ALL, default_review_period, may_update
from monitoring.models import (
    ActionStatus,
    ActionUpdate,
    FollowUpAction,
    Meeting,
    MeetingAttendance,
)
from schools.models import Regency


def _set_attendance(meeting: Meeting, attendance: dict[PartnerAgency, int | None]) -> None:
    """The agencies present and how many people each sent; an agency with no number
    (or 0) was not there."""
    present = {agency.pk: people for agency, people in attendance.items() if people}
    MeetingAttendance.objects.filter(meeting=meeting).exclude(agency_id__in=present).delete()
    for agency_id, people in present.items():
        row = MeetingAttendance(meeting=meeting, agency_id=agency_id, people=people)
        row.full_clean(exclude=["meeting", "agency"], validate_constraints=False)
        MeetingAttendance.objects.update_or_create(
            meeting=meeting, agency_id=agency_id, defaults={"people": people}
        )


@transaction.atomic
def meeting_create(
    *,
    by,
    held_at: datetime,
    place: str,
    regency: Regency | None = None,
    reviews_from: date | None = None,
    reviews_to: date | None = None,
    attendance: dict[PartnerAgency, int | None] | None = None,
    minutes: str = "",
    decisions: str = "",
) -> Meeting:
    """A new meeting, about one regency or (None) all. Without a period, it reviews
    the time since the previous one about the same regency."""
    if reviews_from is None or reviews_to is None:
        default_from, default_to = default_review_period(held_at=held_at, regency=regency)
        reviews_from, reviews_to = reviews_from or default_from, reviews_to or default_to
    meeting = Meeting(
        held_at=held_at,
        place=place,
        regency=regency,
        reviews_from=reviews_from,
        reviews_to=reviews_to,
        minutes=minutes,
        decisions=decisions,
        created_by=by,
    )
    meeting.full_clean()
    meeting.save()
    _set_attendance(meeting, attendance or {})
    log(instance=meeting, action="wagtail.create", user=by)
    return meeting


@transaction.atomic
def meeting_update(
    *, meeting: Meeting, by, attendance: dict[PartnerAgency, int | None] | None = None, **changes
) -> Meeting:
    """Change a meeting's details, minutes or decisions, and who came."""
    for name, value in changes.items():
        setattr(meeting, name, value)
    meeting.full_clean()
    meeting.save()
    if attendance is not None:
        _set_attendance(meeting, attendance)
    log(instance=meeting, action="wagtail.edit", user=by)
    return meeting


@transaction.atomic
def action_create(
    *, meeting: Meeting, by, what: str, agency: PartnerAgency, due_on: date
) -> FollowUpAction:
    """A follow-up action decided at the meeting, with the first line of its history."""
    if not by.has_perm(UPDATE_ALL):
        raise PermissionDenied
    action = FollowUpAction(meeting=meeting, what=what.strip(), agency=agency, due_on=due_on)
    action.full_clean()
    action.save()
    ActionUpdate.objects.create(
        action=action, status=action.status, note=_("Decided at the meeting."), by=by
    )
    return action


@transaction.atomic
def action_update(
    *, action: FollowUpAction, by, status: str, note: str = "", attachment=None
) -> ActionUpdate:
    """Move an action on: its new status, a note and an optional attachment, recorded
    with who and when. Staff update every action, a partner only their agency's."""
    if not may_update(by, action):
        raise PermissionDenied
    action = FollowUpAction.objects.select_for_update().get(pk=action.pk)
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    if status == action.status and not note.strip() and not attachment:
        raise ValidationError(
            _("Nothing changed: write a note, attach a file or change the status.")
        )
    update = ActionUpdate(
        action=action,
        status=status,
        note=note.strip(),
        by=by,
        by_agency=None if by.has_perm(UPDATE_ALL) else partner_agency_of(by),
        at=timezone.now(),
    )
    if attachment:
        update.attachment = attachment
    update.full_clean(exclude=["attachment"])
    update.save()
    if status != action.status:
        action.status = status
        action.save(update_fields=["status"])
    return update
