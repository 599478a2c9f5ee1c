from django.contrib.auth import get_user_model
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from cms.admin_refusals import refuse_with_403
from schools.importing import SCHOOL_COLUMNS
from schools.models import RegencyMember, School, Village
from schools.views import (
    RegistryDeleteView,
    RegistryInspectView,
    SchoolFilterSet,
    SchoolImportPreviewView,
    SchoolImportView,
    SchoolIndexView,
    VillageFilterSet,
    VillageIndexView,
)

SESSIONS = Column("sessions", label=_("Sessions in the period"), sort_key="sessions")
SESSION_EXPORT_HEADINGS = {
    "sessions": _("Sessions in the period"),
    "last_session_at": _("Last session"),
}
SCHOOL_HEADINGS = {column.field: column.heading for column in SCHOOL_COLUMNS}


class SchoolViewSet(ModelViewSet):
    model = School
    name = "schools"
    icon = "home"
    menu_label = _("Schools")
    index_view_class = SchoolIndexView
    inspect_view_class = RegistryInspectView
    delete_view_class = RegistryDeleteView
    inspect_view_enabled = True
    copy_view_enabled = False
    # Rows come from bulk imports, which Wagtail's reference index would not see.
    add_to_reference_index = False
    filterset_class = SchoolFilterSet
    search_fields = ["name", "npsn"]
    search_backend_name = None  # plain database lookups: partial names and NPSNs match
    list_display = ["name", "npsn", "level", "status", "district", "village", SESSIONS]
    list_per_page = 50
    ordering = ["name"]
    inspect_view_fields = [
        "npsn", "name", "level", "education_form", "status", "ministry", "is_active",
        "district", "village", "address", "latitude", "longitude", "headteacher", "phone",
        "email", "students_male", "students_female", "tppk_status", "tppk_decree_date",
        "tppk_contact", "source", "updated_at",
    ]  # fmt: skip
    # Our export has the importer's headings, so it can be edited and imported back.
    list_export = [
        "npsn", "name", "get_level_display", "education_form", "get_status_display",
        "get_ministry_display", "address", "district.name", "village.code", "village.name",
        "latitude", "longitude", "headteacher", "phone", "email", "students_male",
        "students_female", "is_active", "get_tppk_status_display", "tppk_decree_date",
        "tppk_contact", "source", "sessions", "last_session_at",
    ]  # fmt: skip
    export_headings = {
        "npsn": "NPSN",
        "get_level_display": SCHOOL_HEADINGS["level"],
        "get_status_display": SCHOOL_HEADINGS["status"],
        "get_ministry_display": SCHOOL_HEADINGS["ministry"],
        "district.name": SCHOOL_HEADINGS["district"],
        "village.code": SCHOOL_HEADINGS["village_code"],
        "village.name": SCHOOL_HEADINGS["village"],
        "get_tppk_status_display": SCHOOL_HEADINGS["tppk_status"],
        **{field: heading for field, heading in SCHOOL_HEADINGS.items() if field != "npsn"},
        **SESSION_EXPORT_HEADINGS,
    }
    export_filename = "sekolah"
    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("npsn"), FieldPanel("name")]),
                FieldRowPanel([FieldPanel("level"), FieldPanel("education_form")]),
                FieldRowPanel([FieldPanel("status"), FieldPanel("ministry")]),
                FieldPanel("is_active"),
            ],
            heading=_("School"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("district"), FieldPanel("village")]),
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Location"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("headteacher"),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
                FieldRowPanel([FieldPanel("students_male"), FieldPanel("students_female")]),
            ],
            heading=_("Contacts and students"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("tppk_status"),
                FieldRowPanel([FieldPanel("tppk_decree_date"), FieldPanel("tppk_contact")]),
            ],
            heading=_("TPPK (Permendikbudristek 46/2023)"),
        ),
    ]

    def get_urlpatterns(self):
        # Headteachers' and TPPK contacts' names: refused users get a 403.
        return refuse_with_403(
            [
                *super().get_urlpatterns(),
                path("import/", SchoolImportView.as_view(), name="import"),
                path("import/<uuid:pk>/", SchoolImportPreviewView.as_view(), name="import_preview"),
            ]
        )


class VillageViewSet(ModelViewSet):
    model = Village
    name = "villages"
    icon = "globe"
    menu_label = _("Desa/kelurahan")
    index_view_class = VillageIndexView
    inspect_view_class = RegistryInspectView
    delete_view_class = RegistryDeleteView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    filterset_class = VillageFilterSet
    search_fields = ["name", "code"]
    search_backend_name = None
    list_display = ["name", "kind", "district", "code", SESSIONS]
    list_per_page = 60
    ordering = ["name"]
    inspect_view_fields = ["code", "name", "kind", "district", "latitude", "longitude"]
    # The headings import_regions reads back.
    list_export = [
        "code", "name", "get_kind_display", "district.name", "latitude", "longitude",
        "sessions", "last_session_at",
    ]  # fmt: skip
    export_headings = {
        "code": _("Kemendagri code"),
        "name": _("Name"),
        "get_kind_display": _("Kind"),
        "district.name": _("Kecamatan"),
        "latitude": _("Latitude"),
        "longitude": _("Longitude"),
        **SESSION_EXPORT_HEADINGS,
    }
    export_filename = "desa-kelurahan"
    form_fields = ["code", "name", "kind", "district", "latitude", "longitude"]


class RegencyMemberViewSet(ModelViewSet):
    """Which users are limited to one regency (schools.selectors.user_regency). Under
    Settings, next to the users; for admins only (the model's permissions)."""

    model = RegencyMember
    name = "regency_members"
    icon = "user"
    add_to_settings_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    search_backend_name = None
    list_display = ["user", "regency"]
    list_filter = ["regency"]
    form_fields = ["user", "regency"]

    def formfield_for_dbfield(self, db_field, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = get_user_model().objects.filter(is_active=True)
        return super().formfield_for_dbfield(db_field, **kwargs)

    def get_urlpatterns(self):
        return refuse_with_403(super().get_urlpatterns())


class RegistryGroup(ModelViewSetGroup):
    menu_label = _("Schools & villages")
    menu_icon = "site"
    menu_order = 250
    items = (SchoolViewSet, VillageViewSet)


@hooks.register("register_admin_viewset")
def register_registry():
    return RegistryGroup()


@hooks.register("register_admin_viewset")
def register_regency_members():
    return RegencyMemberViewSet()
