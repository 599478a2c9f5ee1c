"""The reach dashboard ("Jangkauan") in the admin, its XLSX and CSV exports and the
printed PDF report (made by a task: monitoring.reports). All of them show
monitoring.selectors.reach() for the same filters, so the figures are the same
everywhere.

For Admin Dinas, Staf Sosialisasi and Mitra (the permission monitoring.view_reach):
figures and the names of schools and villages, never a student's or a contact
person's name. A user limited to one regency (schools.selectors.user_regency) gets that
regency's figures only, in every one of them.
"""

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

from cms.spreadsheets import csv_response, xlsx_response
from monitoring import reports
from monitoring.charts import reach_charts
from monitoring.figures import Reach
from monitoring.forms import ReachFilterForm
from monitoring.models import JobStatus, ReachReport
from monitoring.selectors import reach_cached
from monitoring.tables import shows_facilitators, tables

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
