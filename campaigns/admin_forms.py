"""The admin's forms for campaigns and visits: create and edit, change a visit's
status, record what happened."""

from datetime import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput, AdminTimeInput

from campaigns import selectors, services
from campaigns.fields import (
    SchoolChoiceField,
    StaffChoiceField,
    StaffMultipleChoiceField,
    VillageChoiceField,
    person_name,
)
from campaigns.models import MAX_ATTENDANCE, MAX_PHOTOS, Campaign, Visit, VisitStatus
from campaigns.photos import PhotosField
from cms.district import district_zone, local, with_zone_lazy
from cms.forms import DayField
from cms.models import MaterialPage
from schools.models import School, SchoolLevel, Village

ATTENDANCE_FIELDS = [
    "students_male",
    "students_female",
    "teachers_male",
    "teachers_female",
    "parents_male",
    "parents_female",
    "others",
]


def attendance_messages(field: forms.Field) -> None:
    field.error_messages["min_value"] = _("A number of people cannot be negative.")
    field.error_messages["max_value"] = _("At most %(max)s people: check the number again.") % {
        "max": f"{MAX_ATTENDANCE:,}".replace(",", ".")
    }


class CampaignForm(WagtailAdminModelForm):
    school_levels = forms.MultipleChoiceField(
        label=gettext_lazy("Target school levels"),
        choices=SchoolLevel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    lead = StaffChoiceField(label=gettext_lazy("Lead staff member"), queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = selectors.staff_users()
        self.fields["materials"].queryset = MaterialPage.objects.live().order_by("title")

    class Meta:
        model = Campaign
        fields = "__all__"
        widgets = {
            "topics": forms.CheckboxSelectMultiple,
            "audiences": forms.CheckboxSelectMultiple,
            "materials": forms.CheckboxSelectMultiple,
            "quizzes": forms.CheckboxSelectMultiple,
        }

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end date must be on or after the start date."))
        return data


VISIT_FIELDS = [
    "campaign",
    "school",
    "village",
    "venue",
    "facilitators",
    "partners",
    "audiences",
    "expected_participants",
    "topics",
    "materials",
    "repeat_reason",
    "contact_name",
    "contact_role",
    "contact_phone",
    "contact_email",
]


class VisitForm(WagtailAdminModelForm):
    """Create and edit a visit. Date and times are entered in the district's zone as three fields.

    Possible mistakes are shown before saving: a facilitator already booked at the
    same time, and a date in the past (allowed, to record a visit after the fact) ask
    for a confirmation; another visit to the same target in the same campaign asks
    for a reason."""

    date = DayField(label=gettext_lazy("Date"), widget=AdminDateInput)
    start_time = forms.TimeField(
        label=with_zone_lazy(gettext_lazy("Start (%(zone)s)")), widget=AdminTimeInput
    )
    end_time = forms.TimeField(
        label=with_zone_lazy(gettext_lazy("End (%(zone)s)")), widget=AdminTimeInput
    )
    school = SchoolChoiceField(
        label=gettext_lazy("School"), queryset=School.objects.none(), required=False
    )
    village = VillageChoiceField(
        label=gettext_lazy("Desa or kelurahan"), queryset=Village.objects.none(), required=False
    )
    facilitators = StaffMultipleChoiceField(
        label=gettext_lazy("Facilitators"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    confirm_warnings = forms.BooleanField(
        label=gettext_lazy("Save anyway"),
        required=False,
        help_text=gettext_lazy("I have read the warnings above and want to save the visit."),
    )

    class Meta:
        model = Visit
        fields = VISIT_FIELDS
        widgets = {
            "partners": forms.CheckboxSelectMultiple,
            "audiences": forms.CheckboxSelectMultiple,
            "topics": forms.CheckboxSelectMultiple,
            "materials": forms.CheckboxSelectMultiple,
            "repeat_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.warnings: list[str] = []
        self.repeats: list[Visit] = []
        self.fields["school"].queryset = School.objects.select_related("district").order_by(
            "district__name", "name"
        )
        self.fields["village"].queryset = Village.objects.select_related("district")
        self.fields["facilitators"].queryset = selectors.staff_users()
        self.fields["materials"].queryset = MaterialPage.objects.live().order_by("title")
        if self.instance.pk:
            starts_at, ends_at = local(self.instance.starts_at), local(self.instance.ends_at)
            self.initial.update(
                date=starts_at.date(), start_time=starts_at.time(), end_time=ends_at.time()
            )

    def clean(self):
        data = super().clean()
        school, village = data.get("school"), data.get("village")
        if school and village:
            self.add_error("village", _("Choose a school or a village, not both."))
        elif not school and not village and "school" not in self.errors:
            self.add_error("school", _("Choose the school or the village this visit is for."))

        starts_at = ends_at = None
        if data.get("date") and data.get("start_time") and data.get("end_time"):
            zone = district_zone()
            starts_at = datetime.combine(data["date"], data["start_time"], tzinfo=zone)
            ends_at = datetime.combine(data["date"], data["end_time"], tzinfo=zone)
            if ends_at <= starts_at:
                self.add_error("end_time", _("The end must be after the start."))
                starts_at = ends_at = None
            else:
                self.instance.starts_at, self.instance.ends_at = starts_at, ends_at
                data["starts_at"], data["ends_at"] = starts_at, ends_at

        campaign = data.get("campaign")
        if campaign and bool(school) != bool(village):
            self.repeats = list(
                selectors.repeat_visits(
                    campaign=campaign, school=school, village=village, exclude_pk=self.instance.pk
                )
            )
            if self.repeats and not data.get("repeat_reason", "").strip():
                dates = ", ".join(f"{local(v.starts_at):%d-%m-%Y}" for v in self.repeats)
                self.add_error(
                    "repeat_reason",
                    _(
                        "%(target)s already has a visit in this campaign (%(dates)s). "
                        "Give the reason for another one."
                    )
                    % {"target": school or village, "dates": dates},
                )

        if starts_at:
            self.warnings = self._warnings(starts_at, ends_at, data.get("facilitators") or [])
        if self.warnings and not data.get("confirm_warnings"):
            self.add_error(None, self.warnings)
        return data

    def _warnings(self, starts_at, ends_at, facilitators) -> list[str]:
        warnings = []
        moved = (
            not self.instance.pk
            or "date" in self.changed_data
            or ("start_time" in self.changed_data)
        )
        if moved and starts_at < timezone.now():
            warnings.append(
                _(
                    "The date is in the past. Save it only to record a visit that already "
                    "took place, then record its attendance."
                )
            )
        for user, other in selectors.facilitator_conflicts(
            facilitators=facilitators,
            starts_at=starts_at,
            ends_at=ends_at,
            exclude_pk=self.instance.pk,
        ):
            warnings.append(
                _("%(name)s is already at %(target)s on %(date)s, %(start)s–%(end)s.")
                % {
                    "name": person_name(user),
                    "target": other.target,
                    "date": f"{local(other.starts_at):%d-%m-%Y}",
                    "start": f"{local(other.starts_at):%H:%M}",
                    "end": f"{local(other.ends_at):%H:%M}",
                }
            )
        return warnings

    def visit_fields(self) -> dict:
        """The cleaned values, as keyword arguments for the visit services."""
        data = self.cleaned_data
        fields = {name: data[name] for name in VISIT_FIELDS if name in data}
        fields.update(starts_at=data["starts_at"], ends_at=data["ends_at"])
        return fields


class VisitStatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("New status"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=gettext_lazy("Required when cancelling or postponing."),
    )

    def __init__(self, *args, visit: Visit, **kwargs):
        super().__init__(*args, **kwargs)
        # Done is reached through "Record the visit", which asks for attendance.
        self.fields["status"].choices = [
            (status, VisitStatus(status).label)
            for status in services.TRANSITIONS[visit.status]
            if status != VisitStatus.DONE
        ]

    def clean(self):
        data = super().clean()
        if data.get("status") in services.NEEDS_REASON and not data.get("reason", "").strip():
            self.add_error("reason", _("Give the reason, for the school and the report."))
        return data


class VisitRecordForm(forms.ModelForm):
    """After the visit: attendance, notes and photos."""

    photos = PhotosField(
        label=gettext_lazy("Add photos"),
        required=False,
        help_text=gettext_lazy("Up to 10 photos per visit, each at most 10 MB."),
    )
    photo_consent = forms.BooleanField(
        label=gettext_lazy(
            "The school or the parents agreed that these photos of the children are taken and kept"
        ),
        required=False,
        help_text=gettext_lazy(
            "Needed to add photos. Your name and the time are kept with each photo; photos "
            "are deleted %(months)s months after the visit."
        ),
    )
    remove_photos = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Remove photos"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Visit
        fields = [*ATTENDANCE_FIELDS, "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remove_photos"].queryset = self.instance.photos.select_related("image")
        self.fields["photo_consent"].help_text %= {"months": settings.VISIT_PHOTO_RETENTION_MONTHS}
        for name in ATTENDANCE_FIELDS:
            self.fields[name].required = False
            attendance_messages(self.fields[name])

    def clean(self):
        data = super().clean()
        for name in ATTENDANCE_FIELDS:
            if name not in self.errors and data.get(name) is None:
                data[name] = 0
        if not self.errors and not any(data[name] for name in ATTENDANCE_FIELDS):
            raise ValidationError(_("Record how many people attended."))
        photos = data.get("photos") or []
        removed = data.get("remove_photos") or []
        room = MAX_PHOTOS - (self.instance.photos.count() - len(removed))
        if photos and not data.get("photo_consent"):
            self.add_error(
                "photo_consent",
                _(
                    "Confirm that the school or the parents agreed to the photos before "
                    "adding them. Choose the photos again: files are not kept after an "
                    "error."
                ),
            )
        if len(photos) > room:
            self.add_error(
                "photos",
                _("A visit keeps at most %(max)d photos: add at most %(room)d more.")
                % {"max": MAX_PHOTOS, "room": max(room, 0)},
            )
        return data

    def attendance(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in ATTENDANCE_FIELDS}
