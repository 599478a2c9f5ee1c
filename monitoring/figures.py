"""The reach figures as the dashboard, its exports and the report show them: plain
values that add up the other apps' counts (see monitoring.selectors.reach)."""

from dataclasses import dataclass, field
from datetime import date, datetime

from campaigns.models import Campaign
from campaigns.selectors import ATTENDANCE
from monitoring.charts import MapPoint
from quizzes.selectors import TALLY_SUMS
from schools.models import District, Regency, SchoolLevel
from schools.selectors import Shapes


@dataclass(frozen=True)
class Tally:
    reached: int = 0
    total: int = 0

    @property
    def percent(self) -> int:
        """Whole percent reached, 0 when there is nothing to reach."""
        return round(100 * self.reached / self.total) if self.total else 0

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(reached=self.reached + other.reached, total=self.total + other.total)


@dataclass
class Participants:
    """People at the done sessions, by gender except "others" and the teachers and
    parents of visits recorded before they were counted by gender."""

    students_male: int = 0
    students_female: int = 0
    teachers_male: int = 0
    teachers_female: int = 0
    teachers_unrecorded: int = 0
    parents_male: int = 0
    parents_female: int = 0
    parents_unrecorded: int = 0
    others: int = 0

    @property
    def students(self) -> int:
        return self.students_male + self.students_female

    @property
    def teachers(self) -> int:
        return self.teachers_male + self.teachers_female + self.teachers_unrecorded

    @property
    def parents(self) -> int:
        return self.parents_male + self.parents_female + self.parents_unrecorded

    @property
    def unrecorded(self) -> int:
        return self.teachers_unrecorded + self.parents_unrecorded

    @property
    def total(self) -> int:
        return self.students + self.teachers + self.parents + self.others

    def add(self, row: dict) -> None:
        for name in ATTENDANCE:
            setattr(self, name, getattr(self, name) + (row[name] or 0))


@dataclass
class QuizFigures:
    """Sums of quiz tallies; the rates and means are None when there is nothing to
    divide (no attempt, no pre/post pair)."""

    attempts: int = 0
    paper: int = 0  # of the attempts, answer sheets on paper
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
        for name in TALLY_SUMS:
            setattr(self, name, getattr(self, name) + (row[name] or 0))


@dataclass(frozen=True)
class ReachSummary:
    """This year's reach in one line, for the admin's first screen."""

    year: int
    schools: Tally
    villages: Tally
    sessions: int
    students: int


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
class Share:
    """Done sessions and their participants with one partner agency, facilitator,
    topic or SIMFONI-PPA category. A session with two of them counts for each."""

    label: str
    sessions: int
    participants: int


@dataclass(frozen=True)
class Reach:
    """The answer of monitoring.selectors.reach: the filters it was asked with, then
    the figures."""

    starts_on: date
    ends_on: date
    campaign: Campaign | None
    regency: Regency | None
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
    downloads: list[tuple[str, int]]  # (topic, downloads in the period)
    downloads_total: int
    by_partner: list[Share]
    by_facilitator: list[Share]  # staff names: not for partners (see monitoring.views)
    by_topic: list[Share]
    by_category: list[Share]  # every SIMFONI-PPA category, in the ministry's order
    districts: list[DistrictRow]
    months: list[MonthRow]
    unreached: list[Unreached]
    points: list[MapPoint]
    map_areas: Shapes  # the kecamatan the map shades
    map_outlines: Shapes | None  # the desa it outlines: those of the one kecamatan shown

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


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None
