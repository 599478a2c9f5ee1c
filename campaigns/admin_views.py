"""Admin screens beyond list/create/edit: a visit's page, its status changes, recording
it, its session kit, and a campaign's page. (The calendar and its feed addresses are in
calendar/views.py.)

Every view checks the model permission (Wagtail's PermissionCheckedMixin); the
admin's URL wrapper turns anonymous users to the login page.
"""

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, View
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import (
    CreateView,
    DeleteView,
    EditView,
    IndexView,
    InspectView,
)
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import log

from campaigns import selectors, services
from campaigns.admin_forms import VisitRecordForm, VisitStatusForm
from campaigns.calendar import selectors as feed_selectors
from campaigns.fields import person_name
from campaigns.kit import session_kit_pdf
from campaigns.models import Visit, VisitStatus
from cms.district import local, profile, with_zone_lazy
from cms.forms import id_param
from quizzes.selectors import sessions_for_visit
from schools.models import SchoolLevel


# Visits
def visit_url(name: str, visit: Visit) -> str:
    return reverse(f"visits:{name}", args=[visit.pk])


def when(visit: Visit) -> str:
    return f"{local(visit.starts_at):%d-%m-%Y %H:%M}–{local(visit.ends_at):%H:%M}"


class VisitIndexView(IndexView):
    def get_base_queryset(self):
        return selectors.visit_list()

    @cached_property
    def columns(self):
        title = self._get_title_column_class(TitleColumn)(
            "target", label=gettext_lazy("School or village"), get_url=self.get_inspect_url
        )
        return [
            title,
            Column(
                "when",
                label=with_zone_lazy(gettext_lazy("When (%(zone)s)")),
                accessor=when,
                sort_key="starts_at",
            ),
            Column("district", label=gettext_lazy("Kecamatan"), accessor=lambda v: v.district.name),
            Column("campaign", label=gettext_lazy("Campaign"), accessor="campaign.name"),
            StatusTagColumn(
                "status",
                label=gettext_lazy("Status"),
                accessor="get_status_display",
                primary=lambda v: v.status == VisitStatus.SCHEDULED,
                sort_key="status",
            ),
            Column(
                "facilitators",
                label=gettext_lazy("Facilitators"),
                accessor=lambda v: ", ".join(person_name(u) for u in v.facilitators.all()),
            ),
        ]

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.user_has_permission("change"):
            if services.TRANSITIONS[instance.status]:
                buttons.append(
                    Button(
                        _("Change status"),
                        url=visit_url("status", instance),
                        icon_name="resubmit",
                        priority=40,
                    )
                )
            if instance.status in (VisitStatus.SCHEDULED, VisitStatus.DONE):
                buttons.append(
                    Button(
                        _("Record the visit"),
                        url=visit_url("record", instance),
                        icon_name="tasks",
                        priority=41,
                    )
                )
        return buttons


class VisitCreateView(CreateView):
    PREFILLED = ("campaign", "school", "village")

    def get_initial(self):
        """?school=, ?village= and ?campaign= (ids) choose them in the form, e.g. from
        the reach dashboard's "Schedule a visit". An unknown id just chooses nothing."""
        initial = super().get_initial()
        for name in self.PREFILLED:
            if (pk := id_param(self.request.GET.get(name, ""))) is not None:
                initial[name] = pk
        return initial

    def save_instance(self):
        visit = services.visit_create(by=self.request.user, **self.form.visit_fields())
        log(instance=visit, action="wagtail.create", user=self.request.user)
        return visit

    def get_success_url(self):
        return visit_url("inspect", self.object)


class VisitEditView(EditView):
    def save_instance(self):
        visit = services.visit_update(
            visit=self.object, by=self.request.user, **self.form.visit_fields()
        )
        log(instance=visit, action="wagtail.edit", user=self.request.user)
        return visit

    def get_success_url(self):
        return visit_url("inspect", self.object)


class VisitDeleteView(DeleteView):
    def delete_action(self):
        visit = self.object
        log(instance=visit, action="wagtail.delete", user=self.request.user)
        services.visit_delete(visit=visit)


class VisitInspectView(InspectView):
    """A visit's page: details, what happened, its history and what staff can do next."""

    template_name = "campaigns/admin/visit_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            selectors.visit_list().prefetch_related("partners", "topics", "audiences"),
            pk=self.pk,
        )

    def get_page_title(self):
        return str(self.object.target)

    def get_page_subtitle(self):
        return f"{when(self.object)} {profile().zone_label}"

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        visit = self.object
        if self.user_has_permission("change") and services.TRANSITIONS[visit.status]:
            buttons.append(
                Button(_("Change status"), url=visit_url("status", visit), icon_name="resubmit")
            )
        if visit.status != VisitStatus.CANCELLED:
            buttons.append(
                Button(_("Session kit (PDF)"), url=visit_url("kit", visit), icon_name="doc-full")
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visit = self.object
        context.update(
            visit=visit,
            starts_at=local(visit.starts_at),
            ends_at=local(visit.ends_at),
            status_changes=visit.status_changes.select_related("changed_by"),
            photos=visit.photos.select_related("image"),
            emails=visit.emails.all(),
            quiz_sessions=sessions_for_visit(visit),
            can_add_quiz_session=self.request.user.has_perm("quizzes.add_quizsession"),
            can_change=self.user_has_permission("change"),
            can_record=visit.status in (VisitStatus.SCHEDULED, VisitStatus.DONE),
            transitions=services.TRANSITIONS[visit.status],
        )
        return context


class VisitActionMixin(PermissionCheckedMixin, WagtailAdminTemplateMixin):
    """A form about one visit, reached from its page."""

    model = Visit
    permission_required = "change"
    header_icon = "date"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.visit = get_object_or_404(selectors.visit_list(), pk=kwargs["pk"])

    def get_page_subtitle(self):
        return f"{self.visit.target} · {when(self.visit)} {profile().zone_label}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("visits:index"), "label": _("Visits")},
            {"url": visit_url("inspect", self.visit), "label": str(self.visit.target)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(visit=self.visit, action_url=self.request.get_full_path())
        return context

    def get_success_url(self):
        return visit_url("inspect", self.visit)


class VisitStatusView(VisitActionMixin, FormView):
    template_name = "campaigns/admin/visit_status.html"
    page_title = gettext_lazy("Change status")
    form_class = VisitStatusForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "visit": self.visit}

    def get_initial(self):
        wanted = self.request.GET.get("ke")
        return {"status": wanted} if wanted in services.TRANSITIONS[self.visit.status] else {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(submit_button_label=_("Change status"))
        return context

    def form_valid(self, form):
        try:
            visit = services.visit_change_status(
                visit=self.visit,
                to_status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                by=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(target)s is now %(status)s.")
            % {"target": visit.target, "status": visit.get_status_display().lower()},
        )
        return redirect(self.get_success_url())


class VisitRecordView(VisitActionMixin, FormView):
    template_name = "campaigns/admin/visit_record.html"
    page_title = gettext_lazy("Record the visit")
    form_class = VisitRecordForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.visit}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(submit_button_label=_("Save"), form_is_multipart=True)
        return context

    def form_valid(self, form):
        try:
            visit = services.visit_record(
                visit=self.visit,
                by=self.request.user,
                attendance=form.attendance(),
                notes=form.cleaned_data["notes"],
                new_photos=form.cleaned_data["photos"],
                photo_consent=form.cleaned_data["photo_consent"],
                remove_photos=form.cleaned_data["remove_photos"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(target)s recorded: %(count)d participants.")
            % {"target": visit.target, "count": visit.participants},
        )
        return redirect(self.get_success_url())

    def form_invalid(self, form):
        messages.error(self.request, _("The visit could not be recorded due to errors."))
        return super().form_invalid(form)


class SessionKitView(PermissionCheckedMixin, View):
    model = Visit
    permission_required = "view"

    def get(self, request, pk):
        visit = get_object_or_404(selectors.visit_list(), pk=pk)
        if visit.status == VisitStatus.CANCELLED:
            messages.error(request, _("This visit is cancelled: it has no session kit."))
            return redirect(visit_url("inspect", visit))
        response = HttpResponse(session_kit_pdf(visit=visit), content_type="application/pdf")
        filename = f"kit-{local(visit.starts_at):%Y-%m-%d}-{slugify(str(visit.target))}.pdf"
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response


# Campaigns


class CampaignIndexView(IndexView):
    def get_base_queryset(self):
        return selectors.campaign_list().annotate(
            visit_count=Count("visits", filter=~Q(visits__status=VisitStatus.CANCELLED)),
            done_count=Count("visits", filter=Q(visits__status=VisitStatus.DONE)),
        )


class CampaignInspectView(InspectView):
    template_name = "campaigns/admin/campaign_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = self.object
        by_status = dict(campaign.visits.values_list("status").annotate(n=Count("pk")).order_by())
        totals = campaign.visits.filter(status=VisitStatus.DONE).aggregate(
            **{name: Sum(name) for name in selectors.ATTENDANCE}
        )
        context.update(
            campaign=campaign,
            school_levels=[
                label for value, label in SchoolLevel.choices if value in campaign.school_levels
            ],
            by_status=[(label, by_status.get(value, 0)) for value, label in VisitStatus.choices],
            participants=sum(n or 0 for n in totals.values()),
            visits_url=reverse("visits:index") + "?" + urlencode({"campaign": campaign.pk}),
            calendar_url=reverse("visits:calendar") + "?" + urlencode({"kampanye": campaign.pk}),
            feed_url=reverse("campaigns:feed", args=[campaign.pk]),
            can_change=self.user_has_permission("change"),
            feed=feed_selectors.active_feed(campaign=campaign),
        )
        return context
