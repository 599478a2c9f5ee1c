"""Reads of the registry used by the admin and by other apps (the dashboard).

Reach means done visits, as campaigns.selectors.visits_done defines them: a school is
reached in a period when a socialization session took place there, a village when a
community session took place in it. A session at a school does not count as reaching
its village.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.core.cache import cache
from django.db.models import (
    Count,
    DateTimeField,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail import hooks

from campaigns.selectors import reached_ids, visits_done
from schools.models import District, School, SchoolLevel, Village

PARTICIPANTS = (
    F("students_male") + F("students_female") + F("teachers") + F("parents_community") + F("others")
)


# Sessions come from the app that holds them (campaigns: its visits), through two hooks
# it registers, since the registry imports no other app:
#   "registry_sessions": fn(*, starts_on, ends_on) -> the sessions held in that period
#       (rows with a `school` or a `village` and a `starts_at`), for the listings;
#   "registry_place_sessions": fn(*, school=None, village=None) -> every session of one
#       place, newest first, for its page.
# Without them the registry works and shows no sessions. The first registered is used.


def sessions_held(*, starts_on: date, ends_on: date) -> QuerySet | None:
    """The sessions held in the period (local days), or None when no app reports any."""
    for sessions in hooks.get_hooks("registry_sessions"):
        return sessions(starts_on=starts_on, ends_on=ends_on)
    return None


def place_sessions(*, school: School | None = None, village: Village | None = None) -> list:
    """Every session of one school or village, newest first; [] when no app reports any."""
    for sessions in hooks.get_hooks("registry_place_sessions"):
        return list(sessions(school=school, village=village))
    return []


def with_sessions(queryset: QuerySet, *, target: str, sessions: QuerySet | None) -> QuerySet:
    """Annotate schools (target "school") or villages ("village") with `sessions`, how
    many of `sessions` (from sessions_held) were held there, and `last_session_at`, the
    start of the latest one, for admin listings."""
    if sessions is None:
        return queryset.annotate(
            sessions=Value(0), last_session_at=Value(None, output_field=DateTimeField())
        )
    grouped = sessions.filter(**{target: OuterRef("pk")}).order_by().values(target)
    return queryset.annotate(
        sessions=Coalesce(
            Subquery(grouped.annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
            0,
        ),
        last_session_at=Subquery(grouped.annotate(last=Max("starts_at")).values("last")),
    )


# Finding a school from what a requester types: its NPSN, or words of its name.


def school_by_npsn(npsn: str) -> School | None:
    return School.objects.select_related("district").filter(npsn=npsn, is_active=True).first()


# How people shorten school names, and how the Kemendikbud list writes them.
SCHOOL_ABBREVIATIONS = {
    "sdn": "sd negeri",
    "smpn": "smp negeri",
    "sman": "sma negeri",
    "smkn": "smk negeri",
}


def school_search(query: str) -> QuerySet[School]:
    """Active schools whose name has every word typed: "sdn 1 babulu" finds
    "SD NEGERI 001 BABULU" (abbreviations expanded, numbers without leading zeros)."""
    schools = School.objects.select_related("district").filter(is_active=True)
    for word in query.lower().split():
        # ASCII only: "²" and "①" are digits to str.isdigit() but not to int().
        if word.isascii() and word.isdigit():
            match = Q(name__iregex=rf"(^|[^0-9])0*{int(word)}([^0-9]|$)")
        else:
            match = Q(name__icontains=word)
            if word in SCHOOL_ABBREVIATIONS:
                match |= Q(name__icontains=SCHOOL_ABBREVIATIONS[word])
        schools = schools.filter(match)
    return schools.order_by("name")


class _Reached:
    @property
    def reached(self) -> bool:
        return self.sessions > 0


@dataclass(frozen=True)
class SchoolReach(_Reached):
    """Sessions done at one school during the period."""

    school: School  # with its district and village loaded
    sessions: int = 0
    last_session_on: date | None = None  # local (WITA) date of the latest session
    participants: int = 0  # students, teachers, parents/community and others, summed


@dataclass(frozen=True)
class VillageReach(_Reached):
    """Community sessions done in one desa/kelurahan during the period."""

    village: Village  # with its district loaded
    sessions: int = 0
    last_session_on: date | None = None
    participants: int = 0


@dataclass(frozen=True)
class Tally:
    reached: int = 0
    total: int = 0

    @property
    def percent(self) -> int:
        """Whole percent reached, 0 when there is nothing to reach."""
        return round(100 * self.reached / self.total) if self.total else 0


@dataclass(frozen=True)
class DistrictCoverage:
    district: District
    schools: Tally
    villages: Tally


@dataclass(frozen=True)
class LevelCoverage:
    level: str  # a SchoolLevel value
    label: str
    schools: Tally


@dataclass(frozen=True)
class Coverage:
    """The answer to "which schools and villages have had sessions".

    - `schools`: one SchoolReach per school in scope, ordered by kecamatan and name.
      In scope: the active schools, plus inactive ones reached in the period.
    - `villages`: one VillageReach per desa/kelurahan (of `district` if given).
    - `districts`: per kecamatan, schools and villages reached / total.
    - `levels`: per school level that has schools in scope, reached / total.
    - `school_totals`, `village_totals`: the same over everything in scope.
    - `sessions`, `participants`: summed over schools and villages.
    The `level` filter narrows the schools only; villages have no level.
    """

    starts_on: date
    ends_on: date
    schools: list[SchoolReach]
    villages: list[VillageReach]
    districts: list[DistrictCoverage]
    levels: list[LevelCoverage]
    school_totals: Tally
    village_totals: Tally
    sessions: int
    participants: int


def coverage(
    *,
    starts_on: date,
    ends_on: date,
    campaign=None,
    district: District | None = None,
    level: str | None = None,
) -> Coverage:
    """Reach of every school and village in a period (optionally for one campaign, one
    kecamatan, one school level), in a fixed number of queries whatever the number of
    schools."""
    schools = School.objects.select_related("district", "village").order_by(
        "district__name", "name"
    )
    villages = Village.objects.select_related("district").order_by("district__name", "name")
    if district is not None:
        schools = schools.filter(district=district)
        villages = villages.filter(district=district)
    if level:
        schools = schools.filter(level=level)
    reached_schools = reached_ids(
        target="school", starts_on=starts_on, ends_on=ends_on, campaign=campaign
    )
    schools = schools.filter(Q(is_active=True) | Q(pk__in=reached_schools))

    by_school = _reach_by(target="school", starts_on=starts_on, ends_on=ends_on, campaign=campaign)
    by_village = _reach_by(
        target="village", starts_on=starts_on, ends_on=ends_on, campaign=campaign
    )
    school_rows = [SchoolReach(school=school, **by_school.get(school.pk, {})) for school in schools]
    village_rows = [
        VillageReach(village=village, **by_village.get(village.pk, {})) for village in villages
    ]
    districts = [district] if district is not None else list(District.objects.order_by("name"))
    levels = {row.school.level for row in school_rows}
    return Coverage(
        starts_on=starts_on,
        ends_on=ends_on,
        schools=school_rows,
        villages=village_rows,
        districts=[
            DistrictCoverage(
                district=each,
                schools=_tally(row for row in school_rows if row.school.district_id == each.pk),
                villages=_tally(row for row in village_rows if row.village.district_id == each.pk),
            )
            for each in districts
        ],
        levels=[
            LevelCoverage(
                level=value,
                label=label,
                schools=_tally(row for row in school_rows if row.school.level == value),
            )
            for value, label in SchoolLevel.choices
            if value in levels
        ],
        school_totals=_tally(school_rows),
        village_totals=_tally(village_rows),
        sessions=sum(row.sessions for row in [*school_rows, *village_rows]),
        participants=sum(row.participants for row in [*school_rows, *village_rows]),
    )


def _reach_by(*, target: str, starts_on: date, ends_on: date, campaign) -> dict[int, dict]:
    """{school or village id: Reach fields} from one grouped query."""
    rows = (
        visits_done(starts_on=starts_on, ends_on=ends_on, campaign=campaign)
        .filter(**{f"{target}__isnull": False})
        .order_by()
        .values(f"{target}_id")
        .annotate(sessions=Count("pk"), last=Max("starts_at"), participants=Sum(PARTICIPANTS))
    )
    return {
        row[f"{target}_id"]: {
            "sessions": row["sessions"],
            "last_session_on": _local_date(row["last"]),
            "participants": row["participants"] or 0,
        }
        for row in rows
    }


def _local_date(moment: datetime | None) -> date | None:
    return timezone.localtime(moment).date() if moment else None


def _tally(rows) -> Tally:
    reached = total = 0
    for row in rows:
        total += 1
        reached += row.reached
    return Tally(reached=reached, total=total)


# The registry as other apps list it: the school list of a public quiz form, the
# results pages' filters and a school's results page.

SCHOOL_CHOICES_CACHE_SECONDS = 300


def school_choices(*, levels: Iterable[str] = ()) -> list[tuple[str, list[tuple[str, str]]]]:
    """Active schools of these levels (every level when none is given) as grouped
    choices, by kecamatan: [(kecamatan, [(id, name), ...]), ...]. Cached for a few
    minutes, as every public quiz form shows it."""
    levels = sorted(levels)

    def build():
        schools = School.objects.filter(is_active=True).select_related("district")
        if levels:
            schools = schools.filter(level__in=levels)
        groups: dict[str, list[tuple[str, str]]] = {}
        for school in schools.order_by("district__name", "name"):
            groups.setdefault(school.district.name, []).append((str(school.pk), school.name))
        return list(groups.items())

    key = f"schools:choices:{','.join(levels)}"
    return cache.get_or_set(key, build, SCHOOL_CHOICES_CACHE_SECONDS)


def school_list() -> QuerySet[School]:
    return School.objects.all()


def district_list() -> QuerySet[District]:
    return District.objects.all()


def school_by_id(pk: int) -> School | None:
    return School.objects.filter(pk=pk).first()
