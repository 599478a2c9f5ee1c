"""The reach figures as tables: one sheet each in the XLSX export, one file each in
the CSV export (monitoring.views), so that both hold the same rows."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from campaigns.selectors import done_sessions
from cms.localtime import local_date
from monitoring.figures import Reach
from monitoring.selectors import unreached_places


@dataclass(frozen=True)
class Table:
    title: str  # the sheet's name: at most 31 characters
    header: list[str]
    rows: Iterable[list]


def shows_facilitators(user) -> bool:
    """Facilitators are staff named: shown to whoever sees the visits, not to partners."""
    return user.has_perm("campaigns.view_visit")


def share_tables(figures: Reach, *, with_facilitators: bool) -> list[Table]:
    shares = [(_("By partner agency"), _("Partner agency"), figures.by_partner)]
    if with_facilitators:
        shares.append((_("By facilitator"), _("Facilitator"), figures.by_facilitator))
    shares += [
        (_("By topic"), _("Topic"), figures.by_topic),
        (_("By SIMFONI-PPA category"), _("Category"), figures.by_category),
    ]
    return [
        Table(
            title,
            [label, _("Sessions done"), _("Participants")],
            [[row.label, row.sessions, row.participants] for row in rows],
        )
        for title, label, rows in shares
    ]


def tables(figures: Reach, filters: dict, *, with_facilitators: bool) -> list[Table]:
    """The dashboard's tables, plus the full lists of unreached places and of sessions
    (the dashboard shows only the first few unreached places per kecamatan)."""
    quiz = figures.quiz
    participants = figures.participants
    return [
        Table(
            _("Summary"),
            [_("Figure"), _("Value")],
            [
                [_("From"), figures.starts_on],
                [_("To"), figures.ends_on],
                [_("Campaign"), str(figures.campaign or _("All campaigns"))],
                *([[_("Kabupaten/kota"), str(figures.regency)]] if figures.regency else []),
                [_("Kecamatan"), str(figures.district or _("All kecamatan"))],
                [_("School level"), figures.level_label or _("All levels")],
                [_("Schools reached"), figures.schools.reached],
                [_("Schools in the registry"), figures.schools.total],
                [_("Villages reached"), figures.villages.reached],
                [_("Desa and kelurahan"), figures.villages.total],
                [_("Schools with a TPPK formed"), figures.tppk_formed],
                [_("Sessions done"), figures.sessions],
                [_("Participants"), participants.total],
                [_("Students reached"), participants.students],
                [_("Quiz attempts"), quiz.attempts],
                [_("Of which on paper"), quiz.paper],
                [_("Pass rate (%)"), _rounded(quiz.pass_rate)],
                [_("Mean score (%)"), _rounded(quiz.mean_score)],
                [_("Pre/post pairs"), quiz.pairs],
                [_("Mean pre-test score (%)"), _rounded(quiz.pre_mean)],
                [_("Mean post-test score (%)"), _rounded(quiz.post_mean)],
                [_("Mean gain (points)"), _rounded(quiz.mean_gain)],
                [_("Students who improved (%)"), _rounded(quiz.improved_rate)],
                [_("Certificates issued"), quiz.certificates],
                [_("Material downloads"), figures.downloads_total],
            ],
        ),
        Table(
            _("Schools by level"),
            [_("Level"), _("Reached"), _("Schools"), _("Reached (%)")],
            [[row.label, *_tally(row.schools)] for row in figures.levels],
        ),
        Table(
            _("Schools by status"),
            [_("Status"), _("Reached"), _("Schools"), _("Reached (%)")],
            [[row.label, *_tally(row.schools)] for row in figures.statuses],
        ),
        Table(
            _("Visits"),
            [_("Status"), _("Visits")],
            [[label, count] for _status, label, count in figures.visits],
        ),
        Table(
            _("Participants"),
            [_("Role"), _("Male"), _("Female"), _("Total")],
            [
                [
                    _("Students"),
                    participants.students_male,
                    participants.students_female,
                    participants.students,
                ],
                [
                    _("Teachers"),
                    participants.teachers_male,
                    participants.teachers_female,
                    participants.teachers,
                ],
                [
                    _("Parents and community"),
                    participants.parents_male,
                    participants.parents_female,
                    participants.parents,
                ],
                [_("Others"), None, None, participants.others],
                [_("Total"), None, None, participants.total],
            ],
        ),
        *share_tables(figures, with_facilitators=with_facilitators),
        Table(
            _("Material downloads"),
            [_("Topic"), _("Downloads")],
            [[topic, count] for topic, count in figures.downloads],
        ),
        Table(
            _("Per kecamatan"),
            [
                _("Kecamatan"),
                _("Schools reached"),
                _("Schools"),
                _("Reached (%)"),
                _("Villages reached"),
                _("Desa and kelurahan"),
                _("TPPK formed"),
                _("Sessions done"),
                _("Participants"),
                _("Students"),
                _("Quiz attempts"),
                _("Of which on paper"),
                _("Pass rate (%)"),
                _("Mean score (%)"),
                _("Mean gain (points)"),
            ],
            [
                [
                    row.district.name,
                    *_tally(row.schools),
                    row.villages.reached,
                    row.villages.total,
                    row.tppk_formed,
                    row.sessions,
                    row.participants.total,
                    row.participants.students,
                    row.quiz.attempts,
                    row.quiz.paper,
                    _rounded(row.quiz.pass_rate),
                    _rounded(row.quiz.mean_score),
                    _rounded(row.quiz.mean_gain),
                ]
                for row in figures.districts
            ],
        ),  # fmt: skip
        Table(
            _("Trend"),
            [
                _("Year") if figures.by_year else _("Month"),
                _("Sessions done"),
                _("Participants"),
                _("Quiz attempts"),
            ],
            [
                [
                    row.month.year if figures.by_year else f"{row.month:%Y-%m}",
                    row.sessions,
                    row.participants,
                    row.attempts,
                ]
                for row in figures.trend
            ],
        ),  # fmt: skip
        Table(
            _("Not reached yet"),
            [_("Kecamatan"), _("Kind"), _("Name"), _("Level"), _("NPSN or code")],
            unreached_places(**filters),
        ),
        Table(
            _("Sessions"),
            [
                _("Date"),
                _("School or village"),
                _("Kecamatan"),
                _("Campaign"),
                _("Male students"),
                _("Female students"),
                _("Male teachers"),
                _("Female teachers"),
                _("Men: parents and community"),
                _("Women: parents and community"),
                _("Teachers and parents, gender not recorded"),
                _("Others"),
                _("Participants"),
            ],
            session_rows(done_sessions(**filters).iterator(chunk_size=2000)),
        ),  # fmt: skip
    ]


def session_rows(visits) -> Iterator[list]:
    for visit in visits:
        yield [
            local_date(visit.starts_at), str(visit.target), visit.district.name,
            visit.campaign.name, visit.students_male, visit.students_female,
            visit.teachers_male, visit.teachers_female, visit.parents_male, visit.parents_female,
            visit.teachers_unrecorded + visit.parents_unrecorded, visit.others,
            visit.participants,
        ]  # fmt: skip


def _tally(tally) -> list:
    return [tally.reached, tally.total, tally.percent]


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
