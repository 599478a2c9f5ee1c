"""The coordination meetings' admin screens: the meetings, one meeting with its actions
and its pack, the follow-up actions with their history, and which agency each partner
user belongs to.

Meetings (their minutes may name people) are for admin and outreach staff; a partner
(Mitra) gets a plain 403 there. A user limited to one regency (schools.RegencyMember)
sees that regency's meetings and those about none (monitoring.meetings.meetings_for):
another regency's is not found. A partner sees and updates
only the actions of the agency they belong to, whose history shows agencies, never a
person's name. The URL
wrapper in wagtail_hooks turns every refusal into a 403 (anonymous users still go to
the login page).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import ModelLogEntry

from campaigns.selectors import partner_agency_list, partner_agency_of, partner_users
from campaigns.services import partner_members_set
from cms.localtime import local_date
from monitoring import meetings, services
from monitoring.meeting_forms import ActionForm, ActionUpdateForm, MeetingForm, PartnerMembersForm
from monitoring.models import ActionStatus, ActionUpdate, JobStatus, Meeting, MeetingPack
from monitoring.pack import meeting_pack_request, pack_stuck
from schools.selectors import regencies_for, user_regency

VIEW_MEETINGS = "monitoring.view_meeting"
MEMBERS = "campaigns.change_partnermember"


class Guarded(WagtailAdminTemplateMixin):
    """An admin screen for holders of `permission`."""

    permission = VIEW_MEETINGS
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def allowed(self, user) -> bool:
        return user.has_perm(self.permission)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("meetings:index"), "label": _("Coordination meetings")},
            *self.trail(),
            {"url": "", "label": self.get_page_title()},
        ]

    def trail(self) -> list[dict]:
        return []


class MeetingIndexView(Guarded, TemplateView):
    template_name = "monitoring/meetings/index.html"
    page_title = gettext_lazy("Coordination meetings")

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            meetings=meetings.meeting_list(regency=user_regency(user)),
            can_add=user.has_perm("monitoring.add_meeting"),
            can_assign=user.has_perm(MEMBERS),
            **kwargs,
        )


class MeetingFormView(Guarded, FormView):
    template_name = "monitoring/meetings/meeting_form.html"
    form_class = MeetingForm
    meeting: Meeting | None = None

    def get_form_kwargs(self):
        limit, regencies = regencies_for(self.request.user)
        return {
            **super().get_form_kwargs(),
            "agencies": list(partner_agency_list()),
            "regencies": regencies,
            "limit": limit,
            "meeting": self.meeting,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(**{"meeting": self.meeting, **kwargs})


class MeetingCreateView(MeetingFormView):
    permission = "monitoring.add_meeting"
    page_title = gettext_lazy("New coordination meeting")

    def form_valid(self, form):
        try:
            meeting = services.meeting_create(by=self.request.user, **form.meeting_fields())
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The meeting was saved."))
        return redirect("meetings:detail", meeting.pk)


class MeetingMixin:
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.meeting = get_object_or_404(
            meetings.meetings_for(regency=user_regency(request.user)), pk=kwargs["pk"]
        )

    def trail(self):
        return [
            {"url": reverse("meetings:detail", args=[self.meeting.pk]), "label": str(self.meeting)}
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, **kwargs)


class MeetingEditView(MeetingMixin, MeetingFormView):
    permission = "monitoring.change_meeting"
    page_title = gettext_lazy("Meeting, minutes and decisions")

    def form_valid(self, form):
        fields = form.meeting_fields()
        if "kabupaten" not in form.fields:
            # Not offered (one regency, or a limited user, who may edit a meeting about
            # no regency too): what it is about stays as it was.
            fields["regency"] = self.meeting.regency
        # An emptied period stays what it was: the default is worked out once.
        fields["reviews_from"] = fields["reviews_from"] or self.meeting.reviews_from
        fields["reviews_to"] = fields["reviews_to"] or self.meeting.reviews_to
        try:
            services.meeting_update(meeting=self.meeting, by=self.request.user, **fields)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The meeting was saved."))
        return redirect("meetings:detail", self.meeting.pk)


class MeetingDetailView(MeetingMixin, Guarded, TemplateView):
    template_name = "monitoring/meetings/detail.html"

    def get_page_title(self):
        return str(self.meeting)

    def trail(self):
        return []

    def get_context_data(self, **kwargs):
        user = self.request.user
        carried = meetings.open_actions().filter(meeting__held_at__lt=self.meeting.held_at)
        if self.meeting.regency_id:
            # As its pack: a regency's meeting carries that regency's open actions.
            carried = carried.filter(meeting__regency=self.meeting.regency_id)
        return super().get_context_data(
            attendance=self.meeting.attendance.select_related("agency"),
            actions=meetings.actions().filter(meeting=self.meeting),
            carried=meetings.actions_for(carried, regency=user_regency(user)),
            pack=MeetingPack.objects.filter(meeting=self.meeting).first(),
            can_see_pack=meetings.sees_pack(user, self.meeting),
            action_form=ActionForm(),
            history=ModelLogEntry.objects.for_instance(self.meeting).select_related("user"),
            can_change=user.has_perm("monitoring.change_meeting"),
            can_add_action=user.has_perm("monitoring.add_followupaction"),
            **kwargs,
        )


class ActionCreateView(MeetingMixin, Guarded, FormView):
    permission = "monitoring.add_followupaction"
    template_name = "monitoring/meetings/action_form.html"
    page_title = gettext_lazy("New follow-up action")
    form_class = ActionForm

    def form_valid(self, form):
        try:
            services.action_create(meeting=self.meeting, by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The follow-up action was added."))
        return redirect("meetings:detail", self.meeting.pk)


class PackGuarded(MeetingMixin, Guarded):
    """A meeting's pack: refused (403) to a limited user who sees the meeting but not
    every regency its pack covers (monitoring.meetings.sees_pack)."""

    def allowed(self, user) -> bool:
        return super().allowed(user) and meetings.sees_pack(user, self.meeting)


class PackView(PackGuarded, TemplateView):
    """The pack's progress page (GET; it reloads itself while the pack is made, with no
    JavaScript), and the button asking for a new pack (POST)."""

    template_name = "monitoring/meetings/pack_progress.html"
    page_title = gettext_lazy("Meeting pack")

    def get_context_data(self, **kwargs):
        pack = MeetingPack.objects.filter(meeting=self.meeting).first()
        return super().get_context_data(
            pack=pack, stuck=pack is not None and pack_stuck(pack), **kwargs
        )

    def post(self, request, pk):
        meeting_pack_request(meeting=self.meeting, by=request.user)
        return redirect("meetings:pack", self.meeting.pk)


class PackPdfView(PackGuarded, View):
    def get(self, request, pk):
        pack = MeetingPack.objects.filter(meeting=self.meeting, status=JobStatus.READY).first()
        if pack is None or not pack.file:
            return redirect("meetings:pack", self.meeting.pk)
        held_on = local_date(self.meeting.held_at)
        return FileResponse(
            pack.file.open("rb"),
            content_type="application/pdf",
            as_attachment=True,
            filename=f"paket-rapat-koordinasi-{held_on:%Y-%m-%d}.pdf",
        )


# Follow-up actions: staff see all, a partner their agency's.


class ActionsGuarded(Guarded):
    header_icon = "tasks"

    def allowed(self, user) -> bool:
        self.visible = meetings.visible_actions(user)
        return self.visible is not None

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("follow_up:index"), "label": _("Follow-up actions")},
            *self.trail(),
            {"url": "", "label": self.get_page_title()},
        ]


class ActionIndexView(ActionsGuarded, TemplateView):
    template_name = "monitoring/meetings/actions.html"
    page_title = gettext_lazy("Follow-up actions")

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        show_all = self.request.GET.get("semua") == "1"
        shown = self.visible if show_all else self.visible.filter(status__in=meetings.OPEN_STATUSES)
        return super().get_context_data(
            actions=shown,
            show_all=show_all,
            agency=partner_agency_of(self.request.user),
            staff=self.request.user.has_perm(meetings.UPDATE_ALL),
            **kwargs,
        )


class ActionDetailView(ActionsGuarded, FormView):
    """An action's history and the form to move it on."""

    template_name = "monitoring/meetings/action.html"
    form_class = ActionUpdateForm

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.action = get_object_or_404(meetings.actions(), pk=kwargs["pk"])

    def allowed(self, user) -> bool:
        # Another agency's action is refused, not hidden: its address is no secret.
        return meetings.may_update(user, self.action)

    def get_page_title(self):
        return str(self.action)

    def get_initial(self):
        status = self.action.status
        # Moving on from "not started" is the usual next step.
        return {
            "status": ActionStatus.IN_PROGRESS if status == ActionStatus.NOT_STARTED else status
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action=self.action,
            history=meetings.action_history(self.action),
            staff=self.request.user.has_perm(meetings.UPDATE_ALL),
            can_see_meeting=self.request.user.has_perm(VIEW_MEETINGS),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.action_update(action=self.action, by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The update was recorded."))
        return redirect("follow_up:detail", self.action.pk)


class AttachmentView(View):
    """An update's attachment, for whoever may update its action."""

    def get(self, request, pk):
        update = get_object_or_404(ActionUpdate.objects.select_related("action"), pk=pk)
        if not meetings.may_update(request.user, update.action):
            raise PermissionDenied
        if not update.attachment:
            raise Http404
        return FileResponse(
            update.attachment.open("rb"), as_attachment=True, filename=update.attachment_name
        )


class PartnerMembersView(Guarded, FormView):
    """Which agency each partner (Mitra) user belongs to."""

    permission = MEMBERS
    template_name = "monitoring/meetings/members.html"
    form_class = PartnerMembersForm
    page_title = gettext_lazy("Partner users and their agency")

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "users": partner_users(),
            "agencies": list(partner_agency_list()),
        }

    def form_valid(self, form):
        partner_members_set(memberships=form.memberships())
        messages.success(self.request, _("The partner users' agencies were saved."))
        return redirect("meetings:members")
