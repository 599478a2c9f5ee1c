"""The admin's "Visits" and "Campaigns" menus."""

from datetime import timedelta

import django_filters
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from campaigns import admin_views, home_panels, selectors
from campaigns.admin_forms import CampaignForm, VisitForm
from campaigns.calendar import views as calendar_views
from campaigns.models import Campaign, PartnerAgency, Visit, VisitStatus
from cms.admin_menu import PermissionMenuItem
from cms.admin_refusals import refuse_with_403
from cms.forms import YEARS
from cms.localtime import day_start
from schools.models import District


class ShownWhenFormSays(FieldPanel):
    """A field shown only when the form asks for it, e.g. "save anyway" once the form
    has warnings to confirm."""

    def __init__(self, field_name, *, form_attribute: str, **kwargs):
        super().__init__(field_name, **kwargs)
        self.form_attribute = form_attribute

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "form_attribute": self.form_attribute}

    class BoundPanel(FieldPanel.BoundPanel):
        template_name = "campaigns/panels/shown_when.html"

        def is_shown(self):
            if not super().is_shown():
                return False
            return bool(getattr(self.form, self.panel.form_attribute, None)) or bool(
                self.bound_field.value()
            )

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["items"] = getattr(self.form, self.panel.form_attribute, None) or []
            return context


class VisitFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=VisitStatus.choices)
    campaign = django_filters.ModelChoiceFilter(
        label=_("Campaign"), queryset=Campaign.objects.all()
    )
    kecamatan = django_filters.ModelChoiceFilter(
        label=_("Kecamatan"), queryset=District.objects.all(), method="filter_district"
    )
    facilitator = django_filters.ModelChoiceFilter(
        label=_("Facilitator"),
        queryset=lambda request: selectors.staff_users(),
        field_name="facilitators",
    )
    period = django_filters.DateFromToRangeFilter(
        label=_("Period"), method="filter_period", widget=DateRangePickerWidget
    )

    class Meta:
        model = Visit
        fields: list[str] = []

    def filter_district(self, queryset, name, value):
        return queryset.filter(selectors.in_district(value))

    def filter_period(self, queryset, name, value):
        """The period in local days, whatever time zone the admin user chose (the filter
        gives the chosen days as datetimes in that zone: only their dates count)."""
        # A bound beyond YEARS (9999-12-31 has no day after it) is dropped.
        if value.start and YEARS[0] <= value.start.year <= YEARS[1]:
            queryset = queryset.filter(starts_at__gte=day_start(value.start.date()))
        if value.stop and YEARS[0] <= value.stop.year <= YEARS[1]:
            following_day = value.stop.date() + timedelta(days=1)
            queryset = queryset.filter(starts_at__lt=day_start(following_day))
        return queryset


class VisitViewSet(ModelViewSet):
    model = Visit
    name = "visits"
    url_prefix = "kunjungan"
    icon = "date"
    add_to_admin_menu = False  # in the "Visits" menu below
    index_view_class = admin_views.VisitIndexView
    add_view_class = admin_views.VisitCreateView
    edit_view_class = admin_views.VisitEditView
    delete_view_class = admin_views.VisitDeleteView
    inspect_view_class = admin_views.VisitInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = VisitFilterSet
    ordering = "-starts_at"
    search_fields = [
        "school__name",
        "school__npsn",
        "village__name",
        "reference",
        "venue",
        "contact_name",
    ]
    search_backend_name = None
    list_per_page = 50
    edit_handler = ObjectList(
        [
            ShownWhenFormSays(
                "confirm_warnings", form_attribute="warnings", heading=_("Check before saving")
            ),
            MultiFieldPanel(
                [
                    FieldPanel("campaign"),
                    FieldPanel("school"),
                    FieldPanel("village"),
                    FieldRowPanel(
                        [FieldPanel("date"), FieldPanel("start_time"), FieldPanel("end_time")]
                    ),
                    FieldPanel("venue"),
                    ShownWhenFormSays("repeat_reason", form_attribute="repeats"),
                ],
                heading=_("Where and when"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("facilitators"),
                    FieldPanel("partners"),
                    FieldPanel("audiences"),
                    FieldPanel("expected_participants"),
                ],
                heading=_("Who"),
            ),
            MultiFieldPanel(
                [FieldPanel("topics"), FieldPanel("materials")], heading=_("Topics and materials")
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("contact_name"), FieldPanel("contact_role")]),
                    FieldRowPanel([FieldPanel("contact_phone"), FieldPanel("contact_email")]),
                ],
                heading=_("Contact at the school or village"),
            ),
        ],
        base_form_class=VisitForm,
    )

    def get_urlpatterns(self):
        # Visits hold contact persons: refused users get a 403 (partners included).
        return refuse_with_403(
            super().get_urlpatterns()
            + [
                path("kalender/", calendar_views.CalendarView.as_view(), name="calendar"),
                path("kalender-saya/", calendar_views.MyCalendarFeedView.as_view(), name="my_feed"),
                path("<int:pk>/status/", admin_views.VisitStatusView.as_view(), name="status"),
                path("<int:pk>/catat/", admin_views.VisitRecordView.as_view(), name="record"),
                path("<int:pk>/kit/", admin_views.SessionKitView.as_view(), name="kit"),
            ]
        )


class CampaignViewSet(ModelViewSet):
    model = Campaign
    name = "campaigns"
    url_prefix = "kampanye"
    icon = "clipboard-list"
    menu_label = _("Campaigns")
    index_view_class = admin_views.CampaignIndexView
    inspect_view_class = admin_views.CampaignInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    search_fields = ["name", "description"]
    search_backend_name = None
    list_display = [
        "name",
        "starts_on",
        "ends_on",
        "lead",
        Column("visit_count", label=_("Visits"), sort_key="visit_count"),
        Column("done_count", label=_("Done"), sort_key="done_count"),
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("description"),
            FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
            FieldPanel("lead"),
            MultiFieldPanel(
                [FieldPanel("topics"), FieldPanel("audiences"), FieldPanel("school_levels")],
                heading=_("Topics and audience"),
            ),
            FieldPanel("materials"),
            FieldPanel("quizzes"),
        ],
        base_form_class=CampaignForm,
    )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path(
                "<int:pk>/kalender/",
                calendar_views.CampaignCalendarFeedView.as_view(),
                name="feed",
            ),
        ]


class PartnerAgencyViewSet(SnippetViewSet):
    model = PartnerAgency
    icon = "group"
    menu_label = _("Partner agencies")
    list_display = ["name", "contact_email"]
    search_fields = ["name"]
    sort_order_field = "sort_order"


class CampaignMenu(SnippetViewSetGroup):
    items = (CampaignViewSet, PartnerAgencyViewSet)
    menu_label = _("Campaigns")
    menu_icon = "clipboard-list"
    menu_order = 210


register_snippet(CampaignMenu)


# The registry's listings and pages show the sessions held at each school and village:
# they are the done visits of a period, and every visit of a place (see schools.selectors).


@hooks.register("registry_sessions")
def registry_sessions(*, starts_on, ends_on):
    return selectors.visits_done(starts_on=starts_on, ends_on=ends_on)


@hooks.register("registry_place_sessions")
def registry_place_sessions(*, school=None, village=None):
    return selectors.visits_for(school=school, village=village)


visit_viewset = VisitViewSet()


@hooks.register("register_admin_viewset")
def register_visit_viewset():
    return visit_viewset


@hooks.register("register_admin_menu_item")
def register_visits_menu():
    items = [
        PermissionMenuItem(
            _("All visits"),
            reverse_lazy("visits:index"),
            icon_name="list-ul",
            permission="campaigns.view_visit",
            order=100,
        ),
        PermissionMenuItem(
            _("Calendar"),
            reverse_lazy("visits:calendar"),
            icon_name="calendar-alt",
            permission="campaigns.view_visit",
            order=200,
        ),
        PermissionMenuItem(
            _("Schedule a visit"),
            reverse_lazy("visits:add"),
            icon_name="plus",
            permission="campaigns.add_visit",
            order=300,
        ),
        PermissionMenuItem(
            _("My calendar on my phone"),
            reverse_lazy("visits:my_feed"),
            icon_name="mobile-alt",
            permission="campaigns.view_visit",
            order=400,
        ),
    ]
    return SubmenuMenuItem(_("Visits"), Menu(items=items), icon_name="date", order=205)


@hooks.register("construct_homepage_panels")
def add_home_panels(request, panels):
    if request.user.has_perm("campaigns.view_visit"):
        panels += [home_panels.WeekVisitsPanel(), home_panels.VisitRequestsPanel()]
