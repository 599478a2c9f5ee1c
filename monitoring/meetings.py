"""Reads for the coordination meetings and their follow-up actions (the writes are in
monitoring/services.py, the pack in monitoring/pack.py).

Who may update an action is decided here, once: staff with the model permission update
every action; a partner user with `update_own_agency_action` updates those of the
agency they belong to (campaigns.PartnerMember), and only those.

A meeting about one regency follows on from the previous meeting about that regency,
and its pack carries the open actions of that regency's meetings; a meeting about no
regency in particular (the only kind where the instance holds one) follows on from the
previous such meeting and carries every open action. A user limited to one regency
sees its meetings and those about no regency in particular, which concern every
regency (in an instance of one regency, every meeting is such), but not another
regency's."""

from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet

from campaigns.models import PartnerAgency
from campaigns.selectors import partner_agency_of
from cms.district import local_today
from cms.localtime import local_date
from monitoring.models import OPEN_STATUSES, ActionUpdate, FollowUpAction, Meeting
from schools.models import Regency
from schools.selectors import regency_list, user_regency

UPDATE_ALL = "monitoring.change_followupaction"
UPDATE_OWN = "monitoring.update_own_agency_action"
# Without an earlier meeting, a meeting reviews this many days before it.
FIRST_REVIEW_DAYS = 90


def _concerning(regency: Regency, *, meeting: str) -> Q:
    """Meetings (at the lookup `meeting`) that concern `regency`: its own, and those
    about no regency, which concern them all."""
    return Q(**{meeting: regency}) | Q(**{f"{meeting}__isnull": True})


def meetings_for(*, regency: Regency | None) -> QuerySet[Meeting]:
    """The meetings a user limited to `regency` sees: that regency's and those about
    none; all when None."""
    found = Meeting.objects.select_related("regency")
    return found.filter(_concerning(regency, meeting="regency")) if regency is not None else found


def actions_for(
    found: QuerySet[FollowUpAction], *, regency: Regency | None
) -> QuerySet[FollowUpAction]:
    """Of `found`, the actions a user limited to `regency` sees: those decided at the
    meetings they see (meetings_for); all when None."""
    if regency is None:
        return found
    return found.filter(_concerning(regency, meeting="meeting__regency"))


def meeting_list(*, regency: Regency | None = None) -> QuerySet[Meeting]:
    """Meetings (as meetings_for), newest first, with how many of their actions are
    open and overdue."""
    today = local_today()
    open_actions = Q(actions__status__in=OPEN_STATUSES)
    return meetings_for(regency=regency).annotate(
        open_count=Count("actions", filter=open_actions),
        overdue_count=Count("actions", filter=open_actions & Q(actions__due_on__lt=today)),
    )


def previous_meeting(*, before, regency: Regency | None = None) -> Meeting | None:
    """The last meeting about the same regency (or about none) held before the moment
    `before`."""
    return Meeting.objects.filter(held_at__lt=before, regency=regency).order_by("-held_at").first()


def default_review_period(*, held_at, regency: Regency | None = None) -> tuple[date, date]:
    """Since the day after the previous meeting about the same regency (or
    FIRST_REVIEW_DAYS before) to the meeting's day, in the district's zone."""
    held_on = local_date(held_at)
    previous = previous_meeting(before=held_at, regency=regency)
    if previous is None:
        return held_on - timedelta(days=FIRST_REVIEW_DAYS), held_on
    return min(local_date(previous.held_at) + timedelta(days=1), held_on), held_on


def actions() -> QuerySet[FollowUpAction]:
    """Actions with their agency and meeting, by due date."""
    return FollowUpAction.objects.select_related("agency", "meeting").order_by("due_on", "pk")


def open_actions(*, agency: PartnerAgency | None = None) -> QuerySet[FollowUpAction]:
    found = actions().filter(status__in=OPEN_STATUSES)
    return found.filter(agency=agency) if agency is not None else found


def overdue_actions(*, agency: PartnerAgency | None = None) -> QuerySet[FollowUpAction]:
    return open_actions(agency=agency).filter(due_on__lt=local_today())


def open_actions_by_agency(
    *, regency: Regency | None = None
) -> list[tuple[PartnerAgency, list[FollowUpAction]]]:
    """Every open action (decided at meetings about `regency` if given), grouped by
    agency (in the agencies' order), each with its latest update (`latest`, or None).
    Two queries, however many actions."""
    latest = ActionUpdate.objects.order_by("-at", "-pk")
    grouped: dict[int, tuple[PartnerAgency, list]] = {}
    found = open_actions()
    if regency is not None:
        found = found.filter(meeting__regency=regency)
    for action in found.prefetch_related(
        Prefetch("updates", queryset=latest, to_attr="newest_first")
    ).order_by("agency__sort_order", "agency__name", "due_on", "pk"):
        action.latest = action.newest_first[0] if action.newest_first else None
        grouped.setdefault(action.agency_id, (action.agency, []))[1].append(action)
    return list(grouped.values())


def visible_actions(user) -> QuerySet[FollowUpAction] | None:
    """The actions `user` may see: all for staff, their agency's for a partner (none
    while staff have not said which agency they belong to), None for whoever may see
    no action at all. A user limited to one regency sees those of the meetings they
    see (actions_for)."""
    if user.has_perm(UPDATE_ALL):
        found = actions()
    elif user.has_perm(UPDATE_OWN):
        agency = partner_agency_of(user)
        found = actions().filter(agency=agency) if agency else actions().none()
    else:
        return None
    return actions_for(found, regency=user_regency(user))


def sees_actions(user) -> bool:
    return user.has_perm(UPDATE_ALL) or user.has_perm(UPDATE_OWN)


def may_update(user, action: FollowUpAction) -> bool:
    regency = user_regency(user)
    if regency is not None and action.meeting.regency_id not in (None, regency.pk):
        return False
    if user.has_perm(UPDATE_ALL):
        return True
    if not user.has_perm(UPDATE_OWN):
        return False
    agency = partner_agency_of(user)
    return agency is not None and agency.pk == action.agency_id


def sees_pack(user, meeting: Meeting) -> bool:
    """The pack of a meeting about no regency has every regency's figures and open
    actions: a user limited to one regency sees such a meeting, but its pack only
    where the instance holds no other regency."""
    return (
        meeting.regency_id is not None or user_regency(user) is None or regency_list().count() == 1
    )


def action_history(action: FollowUpAction) -> QuerySet[ActionUpdate]:
    return action.updates.select_related("by", "by_agency")
