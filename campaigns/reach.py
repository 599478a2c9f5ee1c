"""The reach figures: which schools and villages had a session, who took part, what the
quizzes say, which materials were downloaded, and where nobody has been yet.

`reach()` gathers them for a period (WITA days) and optionally one campaign, one
kecamatan and one school level. The dashboard, its XLSX and CSV exports and the
printed report all show its answer, so they always agree.

Reach means what the registry means by it (schools.selectors): a done session at the
school, or in the village, during the period. The school level narrows schools and
their sessions and quizzes; villages have no level, so the village figures ignore it.

It takes a fixed number of queries whatever the number of schools or attempts: schools
and villages are counted in SQL, never fetched one by one (only the map's points and a
few unreached names per kecamatan are), and the quiz figures add up QuizTally rows
(see services.quiz_tallies_refresh) instead of reading every attempt.
"""

import functools
import hashlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db.models import (
    Avg,
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Max,
    Q,
    QuerySet,
    Sum,
    Window,
)
from django.db.models.functions import Cast, Coalesce, Floor, RowNumber, TruncMonth
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from campaigns.charts import MapPoint, kecamatan_shapes
from campaigns.models import Campaign, QuizTally, QuizTallyRefresh, Visit, VisitStatus
from campaigns.selectors import in_district, reached_ids, visits_done
from cms.localtime import day_bounds, this_year
from cms.models import MaterialDocument, MaterialFile
from quizzes.selectors import attempts_in
from schools.models import (
    District,
    School,
    SchoolLevel,
    SchoolStatus,
    TPPKStatus,
    Village,
    VillageKind,
)
from schools.selectors import Tally

# Unreached schools and villages listed per kecamatan; the rest are counted.
UNREACHED_SHOWN = 25
# Up to this many schools each is a dot on the map; beyond, nearby schools are grouped
# in squares of 1/MAP_COLUMNS of the map's width.
MAP_DOTS = 2000
MAP_COLUMNS = 30


@dataclass
class Participants:
    """People at the done sessions. Only students are counted by gender."""

    students_male: int = 0
    students_female: int = 0
    teachers: int = 0
    parents_community: int = 0
    others: int = 0

    @property
    def students(self) -> int:
        return self.students_male + self.students_female

    @property
    def total(self) -> int:
        return self.students + self.teachers + self.parents_community + self.others

    def add(self, row: dict) -> None:
        for name in PARTICIPANT_FIELDS:
            setattr(self, name, getattr(self, name) + (row[name] or 0))


PARTICIPANT_FIELDS = [f.name for f in fields(Participants)]


@dataclass
class QuizFigures:
    """Sums of quiz tallies; the rates and means are None when there is nothing to
    divide (no attempt, no pre/post pair)."""

    attempts: int = 0
    passed: int = 0
    score_sum: int = 0
    certificates: int = 0
    pairs: int = 0
    pre_score_sum: int = 0
    post_score_sum: int = 0
    improved: int = 0

    @property
    def pass_rate(self) -> float | None:
        return _ratio(100 * self.passed, self.attempts)

    @property
    def mean_score(self) -> float | None:
        return _ratio(self.score_sum, self.attempts)

    @property
    def pre_mean(self) -> float | None:
        return _ratio(self.pre_score_sum, self.pairs)

    @property
    def post_mean(self) -> float | None:
        return _ratio(self.post_score_sum, self.pairs)

    @property
    def mean_gain(self) -> float | None:
        return _ratio(self.post_score_sum - self.pre_score_sum, self.pairs)

    @property
    def improved_rate(self) -> float | None:
        return _ratio(100 * self.improved, self.pairs)

    def add(self, row: dict) -> None:
        for name in QUIZ_FIELDS:
            setattr(self, name, getattr(self, name) + (row[name] or 0))


QUIZ_FIELDS = [f.name for f in fields(QuizFigures)]


@dataclass(frozen=True)
class Breakdown:
    label: str
    schools: Tally


@dataclass
class DistrictRow:
    district: District
    schools: Tally = Tally()
    villages: Tally = Tally()
    tppk_formed: int = 0
    sessions: int = 0
    participants: Participants = field(default_factory=Participants)
    quiz: QuizFigures = field(default_factory=QuizFigures)

    @property
    def ratio(self) -> float:
        return self.schools.reached / self.schools.total if self.schools.total else 0


@dataclass
class MonthRow:
    month: date  # the first day of the month
    sessions: int = 0
    participants: int = 0
    attempts: int = 0


@dataclass(frozen=True)
class Place:
    """An unreached school or village, for the list and its "schedule a visit" link."""

    id: int
    name: str
    detail: str = ""  # the school's level and NPSN


@dataclass(frozen=True)
class Unreached:
    district: District
    schools: list[Place]
    school_count: int
    villages: list[Place]
    village_count: int

    @property
    def more_schools(self) -> int:
        return self.school_count - len(self.schools)

    @property
    def more_villages(self) -> int:
        return self.village_count - len(self.villages)


@dataclass(frozen=True)
class Reach:
    """The answer of `reach()`: the filters it was asked with, then the figures."""

    starts_on: date
    ends_on: date
    campaign: Campaign | None
    district: District | None
    level: str
    schools: Tally
    levels: list[Breakdown]
    statuses: list[Breakdown]
    villages: Tally
    tppk_formed: int  # schools in scope whose TPPK is formed
    visits: list[tuple[str, str, int]]  # (status, label, visits starting in the period)
    sessions: int  # done visits
    participants: Participants
    quiz: QuizFigures
    quiz_updated_at: datetime | None  # when the quiz tallies were last refreshed
    downloads: list[tuple[str, int]]  # (topic, downloads), all time
    downloads_total: int
    districts: list[DistrictRow]
    months: list[MonthRow]
    unreached: list[Unreached]
    points: list[MapPoint]

    @property
    def level_label(self) -> str:
        return str(SchoolLevel(self.level).label) if self.level else ""

    @property
    def district_ratios(self) -> dict[str, float]:
        return {row.district.code: row.ratio for row in self.districts}

    @property
    def by_year(self) -> bool:
        """Whether the trend is by year: months beyond two years are too many bars."""
        return len(self.months) > 24

    @property
    def trend(self) -> list[MonthRow]:
        """Per month, or per year (dated 1 January) over a long period."""
        if not self.by_year:
            return self.months
        years: dict[int, MonthRow] = {}
        for row in self.months:
            year = years.setdefault(row.month.year, MonthRow(month=row.month.replace(month=1)))
            year.sessions += row.sessions
            year.participants += row.participants
            year.attempts += row.attempts
        return list(years.values())


def reach(
    *,
    starts_on: date,
    ends_on: date,
    campaign: Campaign | None = None,
    district: District | None = None,
    level: str = "",
) -> Reach:
    """Every figure of the dashboard for the period and filters."""
    scope = _Scope(starts_on, ends_on, campaign, district, level)
    districts = {
        each.pk: DistrictRow(district=each)
        for each in ([district] if district else District.objects.order_by("name"))
    }
    schools, levels, statuses, tppk_formed = _school_counts(scope, districts)
    villages = _village_counts(scope, districts)
    sessions, participants, months = _sessions(scope, districts)
    quiz = _quiz(scope, districts, months)
    downloads, downloads_total = _downloads(campaign)
    refreshed = QuizTallyRefresh.objects.filter(pk=1).values_list("refreshed_at", flat=True)
    return Reach(
        starts_on=starts_on,
        ends_on=ends_on,
        campaign=campaign,
        district=district,
        level=level,
        schools=schools,
        levels=levels,
        statuses=statuses,
        villages=villages,
        tppk_formed=tppk_formed,
        visits=_visit_statuses(scope),
        sessions=sessions,
        participants=participants,
        quiz=quiz,
        quiz_updated_at=refreshed.first(),
        downloads=downloads,
        downloads_total=downloads_total,
        districts=list(districts.values()),
        months=list(months.values()),
        unreached=_unreached(scope, districts),
        points=_points(scope, schools.total),
    )


FIGURES_SECONDS = 10 * 60


def reach_cached(
    *,
    starts_on: date,
    ends_on: date,
    campaign: Campaign | None = None,
    district: District | None = None,
    level: str = "",
) -> Reach:
    """`reach()`, kept in the cache until any data it counts changes: the key holds a
    fingerprint of visits, schools, villages, quiz tallies and downloads (five small
    queries). What the fingerprint cannot see, such as a campaign's list of
    materials, is at most FIGURES_SECONDS old."""
    filters = {"starts_on": starts_on, "ends_on": ends_on, "campaign": campaign,
               "district": district, "level": level}  # fmt: skip
    key = [translation.get_language()]
    for name, value in sorted(filters.items()):
        key.append(f"{name}={getattr(value, 'pk', value)}")
    digest = hashlib.sha256(repr([key, _fingerprint()]).encode()).hexdigest()
    return cache.get_or_set(f"reach:figures:{digest}", lambda: reach(**filters), FIGURES_SECONDS)


def _fingerprint() -> list:
    changes = {"n": Count("pk"), "last": Max("updated_at")}
    return [
        Visit.objects.aggregate(**changes),
        School.objects.aggregate(**changes),
        Village.objects.count(),
        list(QuizTallyRefresh.objects.values_list("last_attempt_id", "refreshed_at")),
        MaterialDocument.objects.aggregate(downloads=Sum("download_count"), n=Count("pk")),
    ]


COUNTER_SECONDS = 15 * 60


def public_counter() -> dict:
    """Schools and students reached this year (WITA), for the home page. Cached for
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


def quiz_tallies_stale() -> bool:
    """Whether attempts were added, or certificates made ready, since the tallies'
    last refresh: three small indexed queries, so a page can check before every read."""
    state = QuizTallyRefresh.objects.filter(pk=1).first()
    attempts = attempts_in()
    if state is None or state.refreshed_at is None:
        return attempts.exists()
    return (
        attempts.filter(pk__gt=state.last_attempt_id).exists()
        or attempts.filter(certificate__ready_at__gte=state.refreshed_at).exists()
    )


def done_sessions(
    *,
    starts_on: date,
    ends_on: date,
    campaign: Campaign | None = None,
    district: District | None = None,
    level: str = "",
) -> QuerySet[Visit]:
    """The done sessions of the period, oldest first, for the report's list. No
    contact persons: partners read this list too."""
    scope = _Scope(starts_on, ends_on, campaign, district, level)
    return scope.visits(visits_done).select_related(
        "campaign", "school__district", "village__district"
    )


def unreached_places(
    *,
    starts_on: date,
    ends_on: date,
    campaign: Campaign | None = None,
    district: District | None = None,
    level: str = "",
) -> Iterator[list]:
    """Every unreached school, then every unreached village, by kecamatan and name, as
    [kecamatan, kind, name, level, NPSN or code] rows read in chunks, for the exports."""
    scope = _Scope(starts_on, ends_on, campaign, district, level)
    levels, kinds = dict(SchoolLevel.choices), dict(VillageKind.choices)
    schools = (
        scope.schools()
        .filter(reached=False)
        .values_list("district__name", "name", "level", "npsn")
        .order_by("district__name", "name", "pk")
    )
    for district_name, name, school_level, npsn in schools.iterator(chunk_size=2000):
        yield [district_name, _("School"), name, str(levels.get(school_level, "")), npsn]
    villages = (
        scope.villages()
        .filter(reached=False)
        .values_list("district__name", "name", "kind", "code")
        .order_by("district__name", "name", "pk")
    )
    for district_name, name, kind, code in villages.iterator(chunk_size=2000):
        yield [district_name, str(kinds.get(kind, kind)), name, "", code]


class _Scope:
    def __init__(self, starts_on, ends_on, campaign, district, level):
        self.starts_on, self.ends_on = starts_on, ends_on
        self.campaign, self.district, self.level = campaign, district, level

    def reached(self, target: str) -> ExpressionWrapper:
        ids = reached_ids(
            target=target, starts_on=self.starts_on, ends_on=self.ends_on, campaign=self.campaign
        )
        return ExpressionWrapper(Q(pk__in=ids), output_field=BooleanField())

    def schools(self):
        """Schools in scope, each with `reached`: the active ones, and inactive ones
        reached in the period (as in schools.selectors.coverage)."""
        schools = School.objects.annotate(reached=self.reached("school")).filter(
            Q(is_active=True) | Q(reached=True)
        )
        if self.district:
            schools = schools.filter(district=self.district)
        if self.level:
            schools = schools.filter(level=self.level)
        return schools

    def villages(self):
        villages = Village.objects.annotate(reached=self.reached("village"))
        if self.district:
            villages = villages.filter(district=self.district)
        return villages

    def visits(self, source=None):
        """Visits starting in the period (`source`: a selector taking the period and
        campaign, e.g. visits_done), in the kecamatan and school level chosen."""
        if source is None:
            visits = Visit.objects.filter(starts_at__range=day_bounds(self.starts_on, self.ends_on))
            if self.campaign:
                visits = visits.filter(campaign=self.campaign)
        else:
            visits = source(starts_on=self.starts_on, ends_on=self.ends_on, campaign=self.campaign)
        if self.district:
            visits = visits.filter(in_district(self.district))
        if self.level:
            visits = visits.filter(school__level=self.level)
        return visits.order_by("starts_at", "pk")

    def tallies(self):
        tallies = QuizTally.objects.filter(day__range=(self.starts_on, self.ends_on))
        if self.campaign:
            tallies = tallies.filter(campaign=self.campaign)
        if self.district:
            tallies = tallies.filter(school__district=self.district)
        if self.level:
            tallies = tallies.filter(school__level=self.level)
        return tallies


def _school_counts(scope: _Scope, districts: dict) -> tuple:
    """Schools reached / total overall, by level, by status and per kecamatan, and
    TPPKs formed: one grouped query."""
    rows = (
        scope.schools()
        .values("district_id", "level", "status", "reached")
        .annotate(n=Count("pk"), tppk=Count("pk", filter=Q(tppk_status=TPPKStatus.YES)))
        .order_by()
    )
    totals = Tally()
    by_level: dict[str, Tally] = defaultdict(Tally)
    by_status: dict[str, Tally] = defaultdict(Tally)
    tppk_formed = 0
    for row in rows:
        tally = Tally(reached=row["n"] if row["reached"] else 0, total=row["n"])
        totals = _plus(totals, tally)
        by_level[row["level"]] = _plus(by_level[row["level"]], tally)
        by_status[row["status"]] = _plus(by_status[row["status"]], tally)
        tppk_formed += row["tppk"]
        if district_row := districts.get(row["district_id"]):
            district_row.schools = _plus(district_row.schools, tally)
            district_row.tppk_formed += row["tppk"]
    levels = [
        Breakdown(label=str(label), schools=by_level[value])
        for value, label in SchoolLevel.choices
        if value in by_level
    ]
    statuses = [
        Breakdown(label=str(label), schools=by_status[value])
        for value, label in SchoolStatus.choices
        if value in by_status
    ]
    return totals, levels, statuses, tppk_formed


def _village_counts(scope: _Scope, districts: dict) -> Tally:
    rows = scope.villages().values("district_id", "reached").annotate(n=Count("pk")).order_by()
    totals = Tally()
    for row in rows:
        tally = Tally(reached=row["n"] if row["reached"] else 0, total=row["n"])
        totals = _plus(totals, tally)
        if district_row := districts.get(row["district_id"]):
            district_row.villages = _plus(district_row.villages, tally)
    return totals


def _visit_statuses(scope: _Scope) -> list[tuple[str, str, int]]:
    counts = dict(scope.visits().values_list("status").annotate(n=Count("pk")).order_by())
    return [(value, str(label), counts.get(value, 0)) for value, label in VisitStatus.choices]


def _sessions(scope: _Scope, districts: dict) -> tuple[int, Participants, dict]:
    """Done sessions and their participants, in total, per kecamatan and per month:
    one grouped query."""
    months = {month: MonthRow(month=month) for month in _month_starts(scope)}
    rows = (
        scope.visits(visits_done)
        .annotate(
            month=TruncMonth("starts_at", tzinfo=timezone.get_default_timezone()),
            kecamatan=Coalesce("school__district_id", "village__district_id"),
        )
        .values("month", "kecamatan")
        .annotate(n=Count("pk"), **{name: Sum(name) for name in PARTICIPANT_FIELDS})
        .order_by()
    )
    sessions, participants = 0, Participants()
    for row in rows:
        sessions += row["n"]
        participants.add(row)
        if district_row := districts.get(row["kecamatan"]):
            district_row.sessions += row["n"]
            district_row.participants.add(row)
        if month_row := months.get(_month_start(row["month"])):
            month_row.sessions += row["n"]
            month_row.participants += sum(row[name] or 0 for name in PARTICIPANT_FIELDS)
    return sessions, participants, months


def _quiz(scope: _Scope, districts: dict, months: dict) -> QuizFigures:
    rows = (
        scope.tallies()
        .values(month=TruncMonth("day"), kecamatan=F("school__district_id"))
        .annotate(**{name: Sum(name) for name in QUIZ_FIELDS})
        .order_by()
    )
    figures = QuizFigures()
    for row in rows:
        figures.add(row)
        if district_row := districts.get(row["kecamatan"]):
            district_row.quiz.add(row)
        if month_row := months.get(_month_start(row["month"])):
            month_row.attempts += row["attempts"] or 0
    return figures


def _downloads(campaign: Campaign | None) -> tuple[list[tuple[str, int]], int]:
    """Downloads of the material files (of the campaign's materials, if one is chosen)
    by topic, since the files were uploaded: the counter has no dates. A file counts
    once per topic of its material, and once in the total."""
    files = MaterialFile.objects.all()
    if campaign:
        files = files.filter(page__in=campaign.materials.all())
    rows = (
        files.values_list(
            "page__topics__name",
            "page__topics__sort_order",
            "document_id",
            "document__download_count",
        )  # fmt: skip
        .distinct()
        .order_by()
    )
    by_topic: dict[tuple, set] = defaultdict(set)
    documents: dict[int, int] = {}
    for name, order, document_id, count in rows:
        documents[document_id] = count
        if name is not None:
            by_topic[(order, name)].add(document_id)
    downloads = [
        (name, sum(documents[pk] for pk in ids)) for (_order, name), ids in sorted(by_topic.items())
    ]
    return downloads, sum(documents.values())


def _unreached(scope: _Scope, districts: dict) -> list[Unreached]:
    """Per kecamatan, the first unreached schools and villages by name (one windowed
    query each), and how many there are in all."""

    def first_per_district(queryset, *extra) -> dict[int, list]:
        ranked = (
            queryset.filter(reached=False)
            .annotate(
                rank=Window(RowNumber(), partition_by=[F("district_id")], order_by=["name", "pk"])
            )
            .filter(rank__lte=UNREACHED_SHOWN)
            .values_list("district_id", "pk", "name", *extra)
            .order_by("district_id", "name", "pk")
        )
        grouped = defaultdict(list)
        for district_id, *place in ranked:
            grouped[district_id].append(place)
        return grouped

    levels, kinds = dict(SchoolLevel.choices), dict(VillageKind.choices)
    schools = first_per_district(scope.schools(), "level", "npsn")
    villages = first_per_district(scope.villages(), "kind")
    return [
        Unreached(
            district=row.district,
            schools=[
                Place(id=pk, name=name, detail=f"{levels.get(level, level)} · {npsn}")
                for pk, name, level, npsn in schools.get(pk, [])
            ],
            school_count=row.schools.total - row.schools.reached,
            villages=[
                Place(id=pk, name=f"{kinds.get(kind, kind)} {name}")
                for pk, name, kind in villages.get(pk, [])
            ],
            village_count=row.villages.total - row.villages.reached,
        )
        for pk, row in districts.items()
        if row.schools.total > row.schools.reached or row.villages.total > row.villages.reached
    ]


def _points(scope: _Scope, schools: int) -> list[MapPoint]:
    """The schools in scope with coordinates, as light tuples. Beyond MAP_DOTS schools
    the dots would cover each other: schools in the same small square of the map (and
    of the same reached or not) are then counted in SQL and drawn as one dot."""
    located = scope.schools().filter(latitude__isnull=False, longitude__isnull=False)
    if schools <= MAP_DOTS:
        rows = located.values_list("latitude", "longitude", "reached", "name").order_by()
        return [
            MapPoint(latitude=float(lat), longitude=float(lng), reached=reached, label=name)
            for lat, lng, reached, name in rows
        ]
    cell = map_cell_degrees()
    latitude, longitude = Cast("latitude", FloatField()), Cast("longitude", FloatField())
    rows = (
        located.annotate(column=Floor(longitude / cell), row=Floor(latitude / cell))
        .values("column", "row", "reached")
        .annotate(n=Count("pk"), lat=Avg(latitude), lng=Avg(longitude))
        .values_list("lat", "lng", "reached", "n")
        .order_by()
    )
    labels = {}  # one translation per count, not per dot

    def label(reached: bool, count: int) -> str:
        if (reached, count) not in labels:
            text = (
                ngettext("%(count)d school reached", "%(count)d schools reached", count)
                if reached
                else ngettext(
                    "%(count)d school not reached", "%(count)d schools not reached", count
                )
            )
            labels[reached, count] = text % {"count": count}
        return labels[reached, count]

    return [
        MapPoint(latitude=lat, longitude=lng, reached=reached, label=label(reached, count))
        for lat, lng, reached, count in rows
    ]


@functools.cache
def map_cell_degrees() -> float:
    """The side of a map square in degrees: 1/MAP_COLUMNS of the map's width."""
    longitudes = [
        point[0] for shape in kecamatan_shapes() for ring in shape["rings"] for point in ring
    ]
    return (max(longitudes) - min(longitudes)) / MAP_COLUMNS


def _month_starts(scope: _Scope) -> list[date]:
    months, month = [], scope.starts_on.replace(day=1)
    while month <= scope.ends_on:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _month_start(value) -> date | None:
    if value is None:
        return None
    if hasattr(value, "date"):
        value = timezone.localtime(value, timezone.get_default_timezone()).date()
    return value.replace(day=1)


def _plus(a: Tally, b: Tally) -> Tally:
    return Tally(reached=a.reached + b.reached, total=a.total + b.total)


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None
