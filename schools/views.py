"""Admin views of the registry: listings with reach and safe exports, detail pages with
the sessions held there, and the school import (upload -> preview -> confirm)."""

from datetime import date

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.filters import (
    DateRangePickerWidget,
    FilteredModelChoiceField,
    FilteredModelChoiceFilter,
    WagtailFilterSet,
)
from wagtail.admin.views import generic
from wagtail.admin.widgets.button import HeaderButton
from wagtail.coreutils import multigetattr

from cms.district import local
from cms.localtime import this_year
from cms.spreadsheets import formula_safe
from schools.forms import SchoolImportForm
from schools.models import District, School, SchoolImport, Village
from schools.selectors import place_sessions, sessions_held, with_sessions
from schools.services import ImportNotPending, school_import_confirm, school_import_preview
from schools.sheets import ImportFileError

REACHED_CHOICES = [("yes", gettext_lazy("Reached")), ("no", gettext_lazy("Not reached"))]


# Listings


class RegistryFilterSet(WagtailFilterSet):
    """Filters shared by the school and village listings. The period scopes "reached"
    and the session counts; it is this year unless chosen."""

    target = ""  # "school" or "village": whose visits count

    district = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Kecamatan"), queryset=District.objects.all()
    )
    reached = django_filters.ChoiceFilter(
        label=gettext_lazy("Sessions in the period"),
        choices=REACHED_CHOICES,
        method="filter_reached",
        empty_label=gettext_lazy("All"),
    )
    period = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Period (this year unless chosen)"),
        widget=DateRangePickerWidget,
        method="filter_period",
    )

    @property
    def period_dates(self) -> tuple[date, date]:
        starts_on, ends_on = this_year()
        chosen = self.form.cleaned_data.get("period") if self.is_valid() else None
        if chosen and chosen.start:
            starts_on = local(chosen.start).date()
        if chosen and chosen.stop:
            ends_on = local(chosen.stop).date()
        return starts_on, ends_on

    def filter_reached(self, queryset, name, value):
        starts_on, ends_on = self.period_dates
        sessions = sessions_held(starts_on=starts_on, ends_on=ends_on)
        if sessions is None:
            return queryset.none() if value == "yes" else queryset
        reached = sessions.filter(**{f"{self.target}__isnull": False}).values(self.target)
        if value == "yes":
            return queryset.filter(pk__in=reached)
        return queryset.exclude(pk__in=reached)

    def filter_period(self, queryset, name, value):
        return queryset  # the period only scopes the filter above and the session counts


class VillageChoiceField(FilteredModelChoiceField):
    """Villages shown only for the kecamatan chosen in the filter above."""

    def get_filter_value(self, village):
        return [village.district_id]


class VillageFilter(FilteredModelChoiceFilter):
    field_class = VillageChoiceField


class SchoolFilterSet(RegistryFilterSet):
    target = "school"
    village = VillageFilter(
        label=gettext_lazy("Desa/kelurahan"),
        queryset=Village.objects.order_by("name"),
        filter_field="id_district",
        filter_accessor="district",
    )

    class Meta:
        model = School
        fields = ["district", "village", "level", "status", "is_active", "tppk_status"]


class VillageFilterSet(RegistryFilterSet):
    target = "village"

    class Meta:
        model = Village
        fields = ["district", "kind"]


class RegistryIndexView(generic.IndexView):
    """Listing with each row's sessions in the filter's period, and exports in which
    no cell can run as a spreadsheet formula."""

    target = ""
    related = []

    @cached_property
    def period(self) -> tuple[date, date]:
        return self.filters.period_dates if self.filters else this_year()

    def get_base_queryset(self):
        starts_on, ends_on = self.period
        queryset = super().get_base_queryset().select_related(*self.related)
        sessions = sessions_held(starts_on=starts_on, ends_on=ends_on)
        return with_sessions(queryset, target=self.target, sessions=sessions)

    def to_row_dict(self, item):
        return {field: export_value(_lookup(item, field)) for field in self.list_export}

    def get_heading(self, queryset, field):
        return capfirst(super().get_heading(queryset, field))


class SchoolIndexView(RegistryIndexView):
    target = "school"
    related = ["district", "village"]

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if can_import(self.request.user):
            buttons.append(
                HeaderButton(
                    _("Import from a file"),
                    url=reverse("schools:import"),
                    icon_name="upload",
                )
            )
        return buttons


class VillageIndexView(RegistryIndexView):
    target = "village"
    related = ["district"]


def _lookup(item, field: str):
    try:
        return multigetattr(item, field)
    except AttributeError:  # e.g. village.code of a school without a village
        return None


def export_value(value):
    """Text that a spreadsheet would run as a formula (=, +, -, @ first) gets a ' in
    front; yes/no in words. The importer takes the ' off again."""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, str):
        return formula_safe(value)
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return local(value).date()
    return value


# Detail pages and deletion


class RegistryInspectView(generic.InspectView):
    template_name = "schools/admin/inspect.html"

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        return "-" if value is None or value == "" else value

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        target = self.model._meta.model_name
        context["visits"] = place_sessions(**{target: self.object})
        if target == "village":
            context["schools_count"] = self.object.schools.count()
            context["schools_url"] = reverse("schools:index") + f"?village={self.object.pk}"
        return context


class RegistryDeleteView(generic.DeleteView):
    """Schools and villages that visits (or schools) refer to cannot be deleted; say
    so instead of failing."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ProtectedError:
            messages.error(
                self.request,
                _(
                    "%(object)s cannot be deleted: sessions or schools refer to it. "
                    "Mark a school as not active instead."
                )
                % {"object": self.object},
            )
            return redirect(self.get_success_url())


# Import


def can_import(user) -> bool:
    return user.has_perms(["schools.add_school", "schools.change_school"])


class ImportPermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ImportBreadcrumbsMixin(generic.WagtailAdminTemplateMixin):
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("schools:index"), "label": _("Schools")},
            {"url": "", "label": self.get_page_title()},
        ]


class SchoolImportView(ImportPermissionMixin, ImportBreadcrumbsMixin, FormView):
    """Step 1: upload a file. It is read and checked, nothing is written yet."""

    form_class = SchoolImportForm
    template_name = "schools/admin/import.html"
    page_title = gettext_lazy("Import schools")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent"] = SchoolImport.objects.select_related("uploaded_by")[:10]
        return context

    def form_valid(self, form):
        try:
            record = school_import_preview(upload=form.cleaned_data["file"], user=self.request.user)
        except ImportFileError as error:
            form.add_error("file", str(error))
            return self.form_invalid(form)
        return redirect("schools:import_preview", pk=record.pk)


class SchoolImportPreviewView(ImportPermissionMixin, ImportBreadcrumbsMixin, TemplateView):
    """Step 2: the report of every row; the uploader confirms (POST) to import the
    valid rows. The file stays on the server: the form sends back only the id."""

    template_name = "schools/admin/import_preview.html"

    @cached_property
    def record(self) -> SchoolImport:
        return get_object_or_404(
            SchoolImport.objects.select_related("uploaded_by"), pk=self.kwargs["pk"]
        )

    def get_page_title(self):
        if self.record.status == SchoolImport.Status.IMPORTED:
            return _("Import done")
        return _("Check before importing")

    def get_page_subtitle(self):
        return self.record.file_name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.record.report
        counts = report["counts"]
        context.update(
            record=self.record,
            report=report,
            counts=counts,
            to_write=counts["created"] + counts["updated"],
            can_confirm=(
                self.record.status == SchoolImport.Status.PREVIEWED
                and self.record.uploaded_by_id == self.request.user.pk
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        try:
            record = school_import_confirm(import_id=self.kwargs["pk"], user=request.user)
        except SchoolImport.DoesNotExist:
            raise Http404 from None
        except ImportNotPending:
            messages.warning(request, _("This file was already imported."))
        except (ImportFileError, FileNotFoundError) as error:
            message = str(error) if isinstance(error, ImportFileError) else ""
            messages.error(
                request,
                message or _("The uploaded file is no longer available. Upload it again."),
            )
        else:
            counts = record.report["counts"]
            messages.success(
                request,
                _("Imported: %(created)s new and %(updated)s updated schools.") % counts,
            )
        return redirect("schools:import_preview", pk=self.kwargs["pk"])
