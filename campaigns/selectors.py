from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from campaigns.models import (
    Campaign,
    PartnerAgency,
    PartnerMember,
    Visit,
    VisitStatus,
)
from cms.district import district_zone
from cms.localtime import day_bounds, local_date, this_week, this_year
from cms.roles import ADMIN, PARTNER, STAFF

# Visits that will still take place or took place: they hold a facilitator's time
# and count as a school's or village's visit in a campaign.
LIVE_STATUSES = [VisitStatus.REQUESTED, VisitStatus.SCHEDULED, VisitStatus.DONE]


def visits_done(*, starts_on: date, ends_on: date, campaign=None) -> QuerySet[Visit]:
    """Visits that took place (status done) with a start inside the period, in local days.
    This is what counts as reach."""
    visits = Visit.objects.filter(
        status=VisitStatus.DONE, starts_at__range=day_bounds(starts_on, ends_on)
    )
    if campaign is not None:
        visits = visits.filter(campaign=campaign)
    return visits


def reached_ids(*, target: str, starts_on: date, ends_on: date, campaign=None) -> QuerySet:
    """Ids of the schools (target='school') or villages (target='village') with a done
    session in the period, as a subquery for `pk__in`."""
    return (
        visits_done(starts_on=starts_on, ends_on=ends_on, campaign=campaign)
        .filter(**{f"{target}__isnull": False})
        .values(f"{target}_id")
    )


# Figures of the visits: the reach dashboard's (composed in monitoring) and the home
# page's counter. Each is one query, however many visits there are.

# Who a done visit counts, as the Visit fields that hold them.
ATTENDANCE = [
    "students_male",
    "students_female",
    "teachers_male",
    "teachers_female",
    "teachers_unrecorded",
    "parents_male",
    "parents_female",
    "parents_unrecorded",
    "others",
]


def _in_scope(visits: QuerySet[Visit], *, regency, district, level: str) -> QuerySet[Visit]:
    """Narrowed to one regency and one kecamatan (the school's or the village's) and one
    school level (which leaves out the villages' sessions)."""
    if regency is not None:
        visits = visits.filter(in_regency(regency))
    if district is not None:
        visits = visits.filter(in_district(district))
    if level:
        visits = visits.filter(school__level=level)
    return visits


def visit_status_counts(
    *, starts_on: date, ends_on: date, campaign=None, regency=None, district=None, level: str = ""
) -> dict[str, int]:
    """{status: visits starting in the period (local days)}, for the statuses with any."""
    visits = Visit.objects.filter(starts_at__range=day_bounds(starts_on, ends_on))
    if campaign is not None:
        visits = visits.filter(campaign=campaign)
    visits = _in_scope(visits, regency=regency, district=district, level=level)
    return dict(visits.values_list("status").annotate(n=Count("pk")).order_by())


def done_session_sums(
    *, starts_on: date, ends_on: date, campaign=None, regency=None, district=None, level: str = ""
) -> list[dict]:
    """The done sessions of the period (local days) summed per month and kecamatan: rows
    of `month` (its first day, local), `kecamatan` (a district id), `sessions` and the
    ATTENDANCE sums."""
    visits = _in_scope(
        visits_done(starts_on=starts_on, ends_on=ends_on, campaign=campaign),
        regency=regency,
        district=district,
        level=level,
    )
    rows = (
        visits.annotate(
            month=TruncMonth("starts_at", tzinfo=district_zone()),
            kecamatan=Coalesce("school__district_id", "village__district_id"),
        )
        .values("month", "kecamatan")
        .annotate(sessions=Count("pk"), **{name: Sum(name) for name in ATTENDANCE})
        .order_by()
    )
    return [{**row, "month": local_date(row["month"])} for row in rows]


def _participants():
    return sum((F(name) for name in ATTENDANCE[1:]), F(ATTENDANCE[0]))


def done_session_shares(
    *,
    by: str,
    starts_on: date,
    ends_on: date,
    campaign=None,
    regency=None,
    district=None,
    level: str = "",
) -> list[dict]:
    """The done sessions of the period per partner agency (`by="partner"`) or per
    facilitator (`by="facilitator"`): rows of `label` (None for the sessions with none),
    `sessions` and `participants`, most sessions first. A session with two partners
    counts for each. One query."""
    visits = _in_scope(
        visits_done(starts_on=starts_on, ends_on=ends_on, campaign=campaign),
        regency=regency,
        district=district,
        level=level,
    )
    if by == "partner":
        keys = {"key": F("partners__pk"), "label": F("partners__name")}
    else:
        keys = {
            "key": F("facilitators__pk"),
            "first_name": F("facilitators__first_name"),
            "last_name": F("facilitators__last_name"),
            "username": F("facilitators__username"),
        }
    rows = list(
        visits.values(**keys)
        .annotate(sessions=Count("pk"), participants=Sum(_participants()))
        .order_by()
    )
    for row in rows:
        if by == "facilitator":
            full_name = f"{row.pop('first_name') or ''} {row.pop('last_name') or ''}".strip()
            username = row.pop("username")
            row["label"] = full_name or username
        row["participants"] = row["participants"] or 0
    # Databases sort "none" (NULL) apart differently: sorted here, "none" last.
    return sorted(rows, key=lambda row: (-row["sessions"], row["key"] is None, row["label"] or ""))


def done_session_topics(
    *, starts_on: date, ends_on: date, campaign=None, regency=None, district=None, level: str = ""
) -> list[tuple[int, int | None, int]]:
    """(visit id, topic id or None, participants) for each topic of each done session
    of the period: what counting by topic, or by what the topics are about, needs
    without counting a session twice. One query."""
    visits = _in_scope(
        visits_done(starts_on=starts_on, ends_on=ends_on, campaign=campaign),
        regency=regency,
        district=district,
        level=level,
    )
    return list(
        visits.annotate(participants=_participants())
        .values_list("pk", "topics__pk", "participants")
        .order_by()
    )


def done_sessions(
    *, starts_on: date, ends_on: date, campaign=None, regency=None, district=None, level: str = ""
) -> QuerySet[Visit]:
    """The done sessions of the period, oldest first, with their campaign, school or
    village and kecamatan, for the reach report's list. No contact persons: partners
    read this list too."""
    visits = _in_scope(
        visits_done(starts_on=starts_on, ends_on=ends_on, campaign=campaign),
        regency=regency,
        district=district,
        level=level,
    )
    return visits.select_related("campaign", "school__district", "village__district").order_by(
        "starts_at", "pk"
    )


def campaign_materials(campaign: Campaign) -> QuerySet:
    """The materials (cms.MaterialPage) a campaign uses."""
    return campaign.materials.all()


def visits_fingerprint() -> dict:
    """Something that changes whenever a visit is added, edited or removed (one small
    query), for caches of visit figures."""
    return Visit.objects.aggregate(n=Count("pk"), last=Max("updated_at"))


COUNTER_SECONDS = 15 * 60


def public_counter() -> dict:
    """Schools and students reached this year (local), for the home page. Cached for
    15 minutes under the year, so a new year starts from zero."""
    starts_on, ends_on = this_year()

    def count() -> dict:
        figures = visits_done(starts_on=starts_on, ends_on=ends_on).aggregate(
            schools=Count("school", distinct=True),
            students=Sum(F("students_male") + F("students_female")),
        )
        return {"year": starts_on.year, "schools": figures["schools"],
                "students": figures["students"] or 0}  # fmt: skip

    return cache.get_or_set(f"reach:counter:{starts_on.year}", count, COUNTER_SECONDS)


def visits_for(*, school=None, village=None) -> QuerySet[Visit]:
    """Every visit to one school or one village, newest first, for its registry page."""
    visits = Visit.objects.select_related("campaign")
    if school is not None:
        visits = visits.filter(school=school)
    if village is not None:
        visits = visits.filter(village=village)
    return visits.order_by("-starts_at")


def visit_list() -> QuerySet[Visit]:
    """Visits with what every listing shows (target, kecamatan, campaign, facilitators)
    fetched in a fixed number of queries, however many visits there are."""
    return Visit.objects.select_related(
        "campaign", "school__district", "village__district"
    ).prefetch_related("facilitators")


def visits_this_week(*, facilitator) -> tuple[list[Visit], list[Visit]]:
    """This week's scheduled and done visits (Monday to Sunday, local), by start: those
    `facilitator` leads, then the others. Two queries."""
    visits = (
        visit_list()
        .filter(
            status__in=[VisitStatus.SCHEDULED, VisitStatus.DONE],
            starts_at__range=day_bounds(*this_week()),
        )
        .order_by("starts_at", "pk")
    )
    mine, others = [], []
    for visit in visits:
        led = any(user.pk == facilitator.pk for user in visit.facilitators.all())
        (mine if led else others).append(visit)
    return mine, others


def visit_requests_waiting(*, limit: int) -> tuple[list[Visit], int]:
    """Requests from schools and villages that wait for staff to schedule or decline
    them, oldest first: the first `limit` and how many there are. Two queries."""
    waiting = Visit.objects.filter(status=VisitStatus.REQUESTED)
    first = waiting.select_related("school", "village").order_by("created_at", "pk")[:limit]
    return list(first), waiting.count()


def visits_between(
    *, start: datetime, end: datetime, campaign=None, facilitator=None, regency=None, district=None
) -> QuerySet[Visit]:
    """Visits starting in [start, end), for the calendar and the meeting pack."""
    visits = visit_list().filter(starts_at__gte=start, starts_at__lt=end)
    if campaign is not None:
        visits = visits.filter(campaign=campaign)
    if facilitator is not None:
        visits = visits.filter(facilitators=facilitator)
    if regency is not None:
        visits = visits.filter(in_regency(regency))
    if district is not None:
        visits = visits.filter(in_district(district))
    return visits.order_by("starts_at", "pk")


def in_district(district) -> Q:
    return Q(school__district=district) | Q(village__district=district)


def in_regency(regency) -> Q:
    return Q(school__district__regency=regency) | Q(village__district__regency=regency)


def staff_users() -> QuerySet:
    """Who can facilitate a visit or lead a campaign: active admin and outreach staff."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__name__in=[ADMIN, STAFF]) | Q(is_superuser=True))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def facilitator_conflicts(
    *, facilitators, starts_at: datetime, ends_at: datetime, exclude_pk=None
) -> list[tuple]:
    """(facilitator, other visit) pairs where a facilitator is already booked for a
    visit that overlaps [starts_at, ends_at)."""
    others = (
        visit_list()
        .filter(
            status__in=LIVE_STATUSES,
            starts_at__lt=ends_at,
            ends_at__gt=starts_at,
            facilitators__in=facilitators,
        )
        .exclude(pk=exclude_pk)
        .distinct()
        .order_by("starts_at")
    )
    chosen = {user.pk for user in facilitators}
    return [
        (user, visit) for visit in others for user in visit.facilitators.all() if user.pk in chosen
    ]


def repeat_visits(*, campaign, school=None, village=None, exclude_pk=None) -> QuerySet[Visit]:
    """Other live visits to the same school or village in the same campaign."""
    if school is None and village is None:
        return Visit.objects.none()
    target = Q(school=school) if school is not None else Q(village=village)
    return (
        Visit.objects.filter(target, campaign=campaign, status__in=LIVE_STATUSES)
        .exclude(pk=exclude_pk)
        .order_by("starts_at")
    )


def upcoming_visits_of(*, facilitator, limit: int) -> list[Visit]:
    """The next `limit` visits that `facilitator` leads and that still take place,
    soonest first: what their own calendar feed (see campaigns.calendar.selectors) shows next."""
    return list(
        Visit.objects.select_related("campaign", "school", "village")
        .filter(facilitators=facilitator, status__in=LIVE_STATUSES, starts_at__gte=timezone.now())
        .order_by("starts_at", "pk")[:limit]
    )


def facilitator_agendas(*, day: date) -> dict:
    """{facilitator: [visits]} for the scheduled visits on one local day."""
    start, end = day_bounds(day, day)
    visits = (
        visit_list()
        .prefetch_related("partners")
        .filter(status=VisitStatus.SCHEDULED, starts_at__range=(start, end))
        .order_by("starts_at", "pk")
    )
    agendas: dict = {}
    for visit in visits:
        for user in visit.facilitators.all():
            if user.is_active and user.email:
                agendas.setdefault(user, []).append(visit)
    return agendas


def visits_to_confirm(*, first_day: date, last_day: date) -> QuerySet[Visit]:
    """Scheduled visits in [first_day, last_day] (local), whose school or village should
    have a confirmation by now."""
    start, end = day_bounds(first_day, last_day)
    return (
        visit_list()
        .filter(status=VisitStatus.SCHEDULED, starts_at__range=(start, end))
        .order_by("starts_at", "pk")
    )


def campaign_list() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("lead")


# Partner agencies and their members


def partner_agency_list() -> QuerySet[PartnerAgency]:
    return PartnerAgency.objects.all()


def partner_agency_of(user) -> PartnerAgency | None:
    """The agency a partner user belongs to, or None."""
    member = PartnerMember.objects.select_related("agency").filter(user_id=user.pk).first()
    return member.agency if member else None


def partner_users() -> QuerySet:
    """Active partner (Mitra) users by name, with their agency (`partner_member`), if any."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=PARTNER)
        .select_related("partner_member__agency")
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
