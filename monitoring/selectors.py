"""The reach figures: which schools and villages had a session, who took part, what the
quizzes say, which materials were downloaded, and where nobody has been yet.

`reach()` gathers them for a period (local days) and optionally one campaign, one
kecamatan and one school level. The dashboard, its XLSX and CSV exports and the
printed report all show its answer, so they always agree.

Each app counts its own data (schools.selectors, campaigns.selectors, quizzes.selectors,
cms.selectors); this module only asks and adds up. Reach means a done session at the
school, or in the village, during the period (campaigns.selectors.reached_ids). The
school level narrows schools and their sessions and quizzes; villages have no level,
so the village figures ignore it.

It takes a fixed number of queries whatever the number of schools or attempts: schools
and villages are counted in SQL, never fetched one by one (only the map's points and a
few unreached names per kecamatan are), and the quiz figures add up the quiz tallies
(see quizzes.tallies) instead of reading every attempt.
"""

import hashlib
from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from campaigns import selectors as campaigns
from campaigns.models import Campaign, VisitStatus
from cms import selectors as cms
from cms.localtime import month_starts, this_year
from cms.models import ReportCategory
from monitoring.charts import MapPoint
from monitoring.figures import (
    Breakdown,
    DistrictRow,
    MonthRow,
    Participants,
    Place,
    QuizFigures,
    Reach,
    ReachSummary,
    Share,
    Tally,
    Unreached,
)
from quizzes import selectors as quizzes
from schools import selectors as schools
from schools.models import District, Regency, SchoolLevel, SchoolStatus, VillageKind

# Unreached schools and villages listed per kecamatan; the rest are counted.
UNREACHED_SHOWN = 25
# Up to this many schools each is a dot on the map; beyond, nearby schools are grouped
# in squares of 1/MAP_COLUMNS of the map's width.
MAP_DOTS = 2000
MAP_COLUMNS = 30
MIN_MAP_DEGREES = 0.01  # about a kilometre: the squares of schools all in one spot
DEFAULT_MAP_DEGREES = 1.0  # a kabupaten's width, roughly, when no boundary is loaded


class _Scope:
    """The filters of one reach question, and the registry's places under them."""

    def __init__(self, *, starts_on, ends_on, campaign, regency, district, level):
        self.starts_on, self.ends_on = starts_on, ends_on
        self.campaign, self.level = campaign, level
        self.regency, self.district = regency, district

    @property
    def filters(self) -> dict:
        return {"starts_on": self.starts_on, "ends_on": self.ends_on, "campaign": self.campaign,
                "regency": self.regency, "district": self.district,
                "level": self.level}  # fmt: skip

    def reached(self, target: str):
        return campaigns.reached_ids(
            target=target, starts_on=self.starts_on, ends_on=self.ends_on, campaign=self.campaign
        )

    def schools(self):
        """A campaign's target levels narrow the schools still to reach."""
        return schools.schools_with_reach(
            reached=self.reached("school"),
            regency=self.regency,
            district=self.district,
            level=self.level,
            target_levels=self.campaign.school_levels if self.campaign else (),
        )

    def villages(self):
        return schools.villages_with_reach(
            reached=self.reached("village"), regency=self.regency, district=self.district
        )


def reach(
    *,
    starts_on: date,
    ends_on: date,
    campaign: Campaign | None = None,
    regency: Regency | None = None,
    district: District | None = None,
    level: str = "",
) -> Reach:
    """Every figure of the dashboard for the period and filters. Material downloads have
    no place: they are the same whatever the regency or kecamatan."""
    scope = _Scope(
        starts_on=starts_on, ends_on=ends_on, campaign=campaign, regency=regency,
        district=district, level=level,
    )  # fmt: skip
    districts = {
        each.pk: DistrictRow(district=each)
        for each in ([district] if district else schools.district_list(regency=regency))
    }
    school_totals, levels, statuses, tppk_formed = _school_counts(scope, districts)
    village_totals = _village_counts(scope, districts)
    months = {month: MonthRow(month=month) for month in month_starts(starts_on, ends_on)}
    sessions, participants = _sessions(scope, districts, months)
    quiz = _quiz(scope, districts, months)
    materials = campaigns.campaign_materials(campaign) if campaign else None
    downloads, downloads_total = cms.downloads_by_topic(
        starts_on=starts_on, ends_on=ends_on, materials=materials
    )
    state = quizzes.quiz_tally_state()
    visits_by_status = campaigns.visit_status_counts(**scope.filters)
    by_topic, by_category = _by_topic(scope)
    map_areas, map_outlines = _map_shapes(district, districts)
    return Reach(
        starts_on=starts_on,
        ends_on=ends_on,
        campaign=campaign,
        regency=regency,
        district=district,
        level=level,
        schools=school_totals,
        levels=levels,
        statuses=statuses,
        villages=village_totals,
        tppk_formed=tppk_formed,
        visits=[
            (value, str(label), visits_by_status.get(value, 0))
            for value, label in VisitStatus.choices
        ],
        sessions=sessions,
        participants=participants,
        quiz=quiz,
        quiz_updated_at=state.refreshed_at if state else None,
        downloads=downloads,
        downloads_total=downloads_total,
        by_partner=_shares(scope, "partner", none=_("No partner agency")),
        by_facilitator=_shares(scope, "facilitator", none=_("No facilitator recorded")),
        by_topic=by_topic,
        by_category=by_category,
        districts=list(districts.values()),
        months=list(months.values()),
        unreached=_unreached(scope, districts),
        points=_points(scope, school_totals.total, map_areas.bbox),
        map_areas=map_areas,
        map_outlines=map_outlines,
    )


def reach_summary(*, regency: Regency | None = None) -> ReachSummary:
    """This year's (local) schools and villages reached, done sessions and students, as
    the dashboard counts them for the same year (of one regency if given). Three
    queries."""
    starts_on, ends_on = this_year()
    scope = _Scope(
        starts_on=starts_on, ends_on=ends_on, campaign=None, regency=regency, district=None,
        level="",
    )  # fmt: skip
    school_totals, *_ = _school_counts(scope, {})
    sessions, participants = _sessions(scope, {}, {})
    return ReachSummary(
        year=starts_on.year,
        schools=school_totals,
        villages=_village_counts(scope, {}),
        sessions=sessions,
        students=participants.students,
    )


FIGURES_SECONDS = 10 * 60


def reach_cached(
    *,
    starts_on: date,
    ends_on: date,
    campaign: Campaign | None = None,
    regency: Regency | None = None,
    district: District | None = None,
    level: str = "",
) -> Reach:
    """`reach()`, kept in the cache until any data it counts changes: the key holds a
    fingerprint of visits, schools, villages, quiz tallies and downloads (five small
    queries). What the fingerprint cannot see, such as a campaign's list of
    materials, is at most FIGURES_SECONDS old."""
    filters = {"starts_on": starts_on, "ends_on": ends_on, "campaign": campaign,
               "regency": regency, "district": district, "level": level}  # fmt: skip
    key = [translation.get_language()]
    for name, value in sorted(filters.items()):
        key.append(f"{name}={getattr(value, 'pk', value)}")
    digest = hashlib.sha256(repr([key, _fingerprint()]).encode()).hexdigest()
    return cache.get_or_set(f"reach:figures:{digest}", lambda: reach(**filters), FIGURES_SECONDS)


def _fingerprint() -> list:
    state = quizzes.quiz_tally_state()
    return [
        campaigns.visits_fingerprint(),
        schools.registry_fingerprint(),
        (state.last_attempt_id, state.refreshed_at) if state else None,
        cms.downloads_fingerprint(),
    ]


def unreached_places(
    *,
    starts_on: date,
    ends_on: date,
    campaign: Campaign | None = None,
    regency: Regency | None = None,
    district: District | None = None,
    level: str = "",
) -> Iterator[list]:
    """Every unreached school, then every unreached village, by kecamatan and name, as
    [kecamatan, kind, name, level, NPSN or code] rows read in chunks, for the exports."""
    scope = _Scope(
        starts_on=starts_on, ends_on=ends_on, campaign=campaign, regency=regency,
        district=district, level=level,
    )  # fmt: skip
    levels, kinds = dict(SchoolLevel.choices), dict(VillageKind.choices)
    for district_name, name, school_level, npsn in schools.all_unreached(
        scope.schools(), "level", "npsn"
    ):
        yield [district_name, _("School"), name, str(levels.get(school_level, "")), npsn]
    for district_name, name, kind, code in schools.all_unreached(scope.villages(), "kind", "code"):
        yield [district_name, str(kinds.get(kind, kind)), name, "", code]


def _school_counts(scope: _Scope, districts: dict) -> tuple:
    """Schools reached / total overall, by level, by status and per kecamatan, and
    TPPKs formed."""
    totals = Tally()
    by_level: dict[str, Tally] = {}
    by_status: dict[str, Tally] = {}
    tppk_formed = 0
    for row in schools.school_counts(scope.schools()):
        tally = Tally(reached=row["schools"] if row["reached"] else 0, total=row["schools"])
        totals += tally
        by_level[row["level"]] = by_level.get(row["level"], Tally()) + tally
        by_status[row["status"]] = by_status.get(row["status"], Tally()) + tally
        tppk_formed += row["tppk_formed"]
        if district_row := districts.get(row["district_id"]):
            district_row.schools += tally
            district_row.tppk_formed += row["tppk_formed"]
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
    totals = Tally()
    for row in schools.village_counts(scope.villages()):
        tally = Tally(reached=row["villages"] if row["reached"] else 0, total=row["villages"])
        totals += tally
        if district_row := districts.get(row["district_id"]):
            district_row.villages += tally
    return totals


def _sessions(scope: _Scope, districts: dict, months: dict) -> tuple[int, Participants]:
    """Done sessions and their participants, in total, per kecamatan and per month."""
    sessions, participants = 0, Participants()
    for row in campaigns.done_session_sums(**scope.filters):
        sessions += row["sessions"]
        participants.add(row)
        if district_row := districts.get(row["kecamatan"]):
            district_row.sessions += row["sessions"]
            district_row.participants.add(row)
        if month_row := months.get(row["month"]):
            month_row.sessions += row["sessions"]
            month_row.participants += sum(row[name] or 0 for name in campaigns.ATTENDANCE)
    return sessions, participants


def _shares(scope: _Scope, by: str, *, none: str) -> list[Share]:
    return [
        Share(
            label=row["label"] or none, sessions=row["sessions"], participants=row["participants"]
        )
        for row in campaigns.done_session_shares(by=by, **scope.filters)
    ]


def _by_topic(scope: _Scope) -> tuple[list[Share], list[Share]]:
    """Done sessions and participants per topic, in topic order, and per SIMFONI-PPA
    category (every category, in its order), each session counted once per topic and
    once per category however many of its topics map to that category."""
    topics = {topic.pk: topic for topic in cms.topic_list()}
    per_topic: dict[int | None, dict[int, int]] = defaultdict(dict)
    per_category: dict[str, dict[int, int]] = defaultdict(dict)
    for visit_id, topic_id, participants in campaigns.done_session_topics(**scope.filters):
        per_topic[topic_id][visit_id] = participants
        for category in topics[topic_id].report_categories if topic_id in topics else ():
            per_category[category][visit_id] = participants

    def share(label, visits: dict[int, int]) -> Share:
        return Share(label=str(label), sessions=len(visits), participants=sum(visits.values()))

    by_topic = [share(topic.name, per_topic[pk]) for pk, topic in topics.items() if pk in per_topic]
    if None in per_topic:
        by_topic.append(share(_("No topic recorded"), per_topic[None]))
    by_category = [share(label, per_category[value]) for value, label in ReportCategory.choices]
    return by_topic, by_category


def _quiz(scope: _Scope, districts: dict, months: dict) -> QuizFigures:
    figures = QuizFigures()
    for row in quizzes.quiz_tally_sums(**scope.filters):
        figures.add(row)
        if district_row := districts.get(row["kecamatan"]):
            district_row.quiz.add(row)
        if month_row := months.get(row["month"]):
            month_row.attempts += row["attempts"] or 0
    return figures


def _unreached(scope: _Scope, districts: dict) -> list[Unreached]:
    """Per kecamatan, the first unreached schools and villages by name, and how many
    there are in all."""
    levels, kinds = dict(SchoolLevel.choices), dict(VillageKind.choices)
    first_schools = schools.first_unreached(
        scope.schools(), "level", "npsn", per_district=UNREACHED_SHOWN
    )
    first_villages = schools.first_unreached(scope.villages(), "kind", per_district=UNREACHED_SHOWN)
    return [
        Unreached(
            district=row.district,
            schools=[
                Place(id=pk, name=name, detail=f"{levels.get(level, level)} · {npsn}")
                for pk, name, level, npsn in first_schools.get(pk, [])
            ],
            school_count=row.schools.total - row.schools.reached,
            villages=[
                Place(id=pk, name=f"{kinds.get(kind, kind)} {name}")
                for pk, name, kind in first_villages.get(pk, [])
            ],
            village_count=row.villages.total - row.villages.reached,
        )
        for pk, row in districts.items()
        if row.schools.total > row.schools.reached or row.villages.total > row.villages.reached
    ]


def _map_shapes(district: District | None, districts: dict) -> tuple:
    """What the map draws: every kecamatan of the regencies shown; or, filtered to one
    kecamatan, that one and its desa/kelurahan, so they are large enough to read."""
    if district is not None:
        return (
            schools.kecamatan_shapes(district_ids=[district.pk]),
            schools.village_shapes(district=district),
        )
    regencies = {row.district.regency_id for row in districts.values()}
    return schools.kecamatan_shapes(regency_ids=regencies), None


def _points(scope: _Scope, school_count: int, box) -> list[MapPoint]:
    """The schools in scope with coordinates. Beyond MAP_DOTS schools the dots would
    cover each other: schools in the same small square of the map (1/MAP_COLUMNS of the
    width of `box`, the shapes' box, else of DEFAULT_MAP_DEGREES) and of the same reached or not
    are then counted in SQL and drawn as one dot."""
    if school_count <= MAP_DOTS:
        return [
            MapPoint(latitude=lat, longitude=lng, reached=reached, label=name)
            for lat, lng, reached, name in schools.school_locations(scope.schools())
        ]
    width = max(box[2] - box[0], MIN_MAP_DEGREES) if box else DEFAULT_MAP_DEGREES
    cell_degrees = width / MAP_COLUMNS
    cells = schools.school_location_cells(scope.schools(), cell_degrees=cell_degrees)
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
        for lat, lng, reached, count in cells
    ]
