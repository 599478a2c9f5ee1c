"""The reach dashboard ("Jangkauan") in the admin, its XLSX and CSV exports and the
printed PDF report (made by a task: monitoring.reports). All of them show
monitoring.selectors.reach() for the same filters, so the figures are the same
everywhere.

For Admin Dinas, Staf Sosialisasi and Mitra (the permission monitoring.view_reach):
figures and the names of schools and villages, never a student's or a contact
person's name. A user limited to one regency (schools.selectors.user_regency) gets that
regency's figures only, in every one of them.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain

from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from campaigns.selectors import done_sessions
from cms.localtime import local_date
from cms.spreadsheets import csv_response, xlsx_response
from monitoring import reports
from monitoring.charts import reach_charts
from monitoring.figures import Reach
from monitoring.forms import ReachFilterForm
from monitoring.models import JobStatus, ReachReport
from monitoring.selectors import reach_cached, unreached_places

PERMISSION = "monitoring.view_reach"


class ReachMixin:
    def dispatch(self, request, *args, **kwargs):
        # A permission of its own, not a model action, so not Wagtail's permission policy.
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_reach(self) -> Reach:
        self.filter_form = ReachFilterForm(self.request.GET, user=self.request.user)
        # The quiz figures are those of the tallies' last refresh (beat runs it every
        # few minutes); the page says when that was.
        return reach_cached(**self.filter_form.filters())

    def file_name(self, figures: Reach, extension: str) -> str:
        parts = ["jangkauan", figures.starts_on.isoformat(), figures.ends_on.isoformat()]
        if figures.regency:
            parts.append(slugify(figures.regency.name))
        if figures.district:
            parts.append(slugify(figures.district.name))
        return "-".join(parts) + f".{extension}"


class ReachView(ReachMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "monitoring/dashboard.html"
    page_title = gettext_lazy("Reach")
    header_icon = "site"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        figures = self.get_reach()
        for notice in self.filter_form.notices:
            messages.warning(self.request, notice)
        query = "?" + urlencode(self.filter_form.querydict())
        user = self.request.user
        context.update(
            form=self.filter_form,
            reach=figures,
            **reach_charts(figures),
            xlsx_url=reverse("reach:xlsx") + query,
            csv_url=reverse("reach:csv") + query,
            report_url=reverse("reach:report_request"),
            report_filters=self.filter_form.querydict(),
            can_schedule=user.has_perm("campaigns.add_visit"),
            schedule_url=reverse("visits:add"),
            can_see_registry=user.has_perm("schools.view_school"),
            show_facilitators=shows_facilitators(user),
            registry_query=urlencode(
                {
                    "reached": "no",
                    "period_after": figures.starts_on.isoformat(),
                    "period_before": figures.ends_on.isoformat(),
                    **({"level": figures.level} if figures.level else {}),
                }
            ),
        )
        return context


# Exports


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


class ReachXlsxView(ReachMixin, View):
    """One sheet per table."""

    def get(self, request):
        figures = self.get_reach()
        sheets = (
            (table.title, chain([table.header], table.rows))
            for table in tables(
                figures,
                self.filter_form.filters(),
                with_facilitators=shows_facilitators(request.user),
            )
        )
        return xlsx_response(sheets, filename=self.file_name(figures, "xlsx"))


class ReachCsvView(ReachMixin, View):
    """The same tables one under the other, each under its title, streamed."""

    def get(self, request):
        figures = self.get_reach()

        def rows():
            for table in tables(
                figures,
                self.filter_form.filters(),
                with_facilitators=shows_facilitators(request.user),
            ):
                yield [table.title]
                yield table.header
                yield from table.rows
                yield []

        return csv_response(rows(), filename=self.file_name(figures, "csv"))


class ReachReportRequestView(ReachMixin, View):
    """POST the dashboard's filters: a report is rendered by a task, its page follows."""

    http_method_names = ["post"]

    def post(self, request):
        form = ReachFilterForm(request.POST, user=request.user)
        report = reports.reach_report_request(
            user=request.user,
            filters=form.querydict(),
            with_facilitators=shows_facilitators(request.user),
        )
        return redirect("reach:report", pk=report.pk)


class ReachReportView(ReachMixin, WagtailAdminTemplateMixin, TemplateView):
    """A report's progress, then its download; only its requester sees it. The page
    reloads itself (a Refresh header, no JavaScript) while the PDF is being made."""

    template_name = "monitoring/report_status.html"
    page_title = gettext_lazy("Reach report")
    header_icon = "doc-full"

    def get(self, request, pk: int):
        self.report = get_object_or_404(ReachReport, pk=pk, requested_by=request.user)
        response = super().get(request)
        stuck = reports.reach_report_is_stuck(self.report)
        if self.report.status == JobStatus.PENDING and not stuck:
            response["Refresh"] = "3"
        return response

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("reach:dashboard"), "label": _("Reach")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.report
        context.update(
            report=report,
            stuck=reports.reach_report_is_stuck(report),
            filters=report.filters,
            dashboard_url=reverse("reach:dashboard") + "?" + urlencode(report.filters),
        )
        return context


class ReachReportFileView(ReachMixin, View):
    def get(self, request, pk: int):
        report = get_object_or_404(
            ReachReport, pk=pk, requested_by=request.user, status=JobStatus.READY
        )
        name = "-".join(
            ["laporan-jangkauan", report.filters.get("dari", ""), report.filters.get("sampai", "")]
        )
        return FileResponse(
            report.file.open("rb"), content_type="application/pdf", filename=f"{name}.pdf"
        )
