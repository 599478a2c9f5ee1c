import re
from datetime import datetime, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput, AdminTimeInput
from wagtail.images.fields import WagtailImageField

from campaigns import selectors, services
from campaigns.models import MAX_ATTENDANCE, MAX_PHOTOS, Campaign, Visit, VisitStatus, wita
from cms.localtime import this_year
from cms.models import MaterialPage, Topic
from schools.models import District, School, SchoolLevel, Village

ATTENDANCE_FIELDS = ["students_male", "students_female", "teachers", "parents_community", "others"]
# Digits, spaces, dashes, dots, brackets and one leading +: 08xx..., +62 8xx..., (0542) ...
PHONE_RE = re.compile(r"^\+?[\d\s().-]{8,20}$")


def person_name(user) -> str:
    return user.get_full_name() or user.get_username()


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return person_name(obj)


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person_name(obj)


class SchoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.npsn}), Kec. {obj.district.name}"


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj}, Kec. {obj.district.name}"


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
    """Create and edit a visit. Date and times are entered in WITA as three fields.

    Possible mistakes are shown before saving: a facilitator already booked at the
    same time, and a date in the past (allowed, to record a visit after the fact) ask
    for a confirmation; another visit to the same target in the same campaign asks
    for a reason."""

    date = forms.DateField(label=gettext_lazy("Date"), widget=AdminDateInput)
    start_time = forms.TimeField(label=gettext_lazy("Start (WITA)"), widget=AdminTimeInput)
    end_time = forms.TimeField(label=gettext_lazy("End (WITA)"), widget=AdminTimeInput)
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
            starts_at, ends_at = wita(self.instance.starts_at), wita(self.instance.ends_at)
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
            zone = timezone.get_default_timezone()
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
                dates = ", ".join(f"{wita(v.starts_at):%d-%m-%Y}" for v in self.repeats)
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
                    "date": f"{wita(other.starts_at):%d-%m-%Y}",
                    "start": f"{wita(other.starts_at):%H:%M}",
                    "end": f"{wita(other.ends_at):%H:%M}",
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


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one input. Each must be an image Wagtail accepts (JPG, PNG,
    GIF, WEBP...) of at most WAGTAILIMAGES_MAX_UPLOAD_SIZE."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": "image/*"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        image_field = WagtailImageField()
        errors, images = [], []
        for upload in files:
            if upload.size > image_field.max_upload_size:
                errors.append(
                    _("%(name)s is %(size)s; a photo may be at most %(max)s.")
                    % {
                        "name": upload.name,
                        "size": filesizeformat(upload.size),
                        "max": filesizeformat(image_field.max_upload_size),
                    }
                )
                continue
            try:
                images.append(image_field.clean(upload))
            except ValidationError:
                errors.append(
                    _("%(name)s is not a photo (use JPG, PNG, GIF or WEBP).")
                    % {"name": upload.name}
                )
        if errors:
            errors.append(_("Choose the photos again: files are not kept after an error."))
            raise ValidationError(errors)
        return images


class VisitRecordForm(forms.ModelForm):
    """After the visit: attendance, notes and photos."""

    photos = PhotosField(
        label=gettext_lazy("Add photos"),
        required=False,
        help_text=gettext_lazy("Up to 10 photos per visit, each at most 10 MB."),
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
        if len(photos) > room:
            self.add_error(
                "photos",
                _("A visit keeps at most %(max)d photos: add at most %(room)d more.")
                % {"max": MAX_PHOTOS, "room": max(room, 0)},
            )
        return data

    def attendance(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in ATTENDANCE_FIELDS}


class CalendarFilterForm(forms.Form):
    """The calendar's filters, as GET parameters. A bad value is ignored."""

    bulan = forms.CharField(required=False)
    kampanye = forms.ModelChoiceField(
        label=gettext_lazy("Campaign"),
        queryset=Campaign.objects.all(),
        required=False,
        empty_label=gettext_lazy("All campaigns"),
    )
    fasilitator = StaffChoiceField(
        label=gettext_lazy("Facilitator"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("All facilitators"),
    )
    kecamatan = forms.ModelChoiceField(
        label=gettext_lazy("Kecamatan"),
        queryset=District.objects.all(),
        required=False,
        empty_label=gettext_lazy("All kecamatan"),
    )

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["fasilitator"].queryset = selectors.staff_users()
        self.is_valid()
        for name in list(self.errors):
            self.cleaned_data[name] = None
        self._errors = {}

    def month(self) -> tuple[int, int]:
        """(year, month) from ?bulan=YYYY-MM, or this month in WITA."""
        try:
            first = datetime.strptime(self.cleaned_data.get("bulan") or "", "%Y-%m")  # noqa: DTZ007
            if 2000 <= first.year <= 2100:
                return first.year, first.month
        except ValueError:
            pass
        today = wita(timezone.now())
        return today.year, today.month


class VisitRequestForm(forms.Form):
    """The public request form. Everything typed comes back after an error."""

    TARGETS = [("sekolah", gettext_lazy("A school")), ("desa", gettext_lazy("A village"))]
    TIMES = [
        ("pagi", gettext_lazy("Morning (08.00–10.00 WITA)")),
        ("siang", gettext_lazy("Late morning (10.00–12.00 WITA)")),
        ("sore", gettext_lazy("Afternoon (14.00–16.00 WITA)")),
    ]
    MAX_SCHOOL_CHOICES = 15

    target = forms.ChoiceField(
        label=gettext_lazy("The session is for"), choices=TARGETS, widget=forms.RadioSelect
    )
    school_query = forms.CharField(
        label=gettext_lazy("School: NPSN or name"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("The 8-digit NPSN finds your school at once."),
    )
    school = forms.ModelChoiceField(
        label=gettext_lazy("Choose your school"),
        queryset=School.objects.none(),
        required=False,
        widget=forms.RadioSelect,
    )
    village = VillageChoiceField(
        label=gettext_lazy("Desa or kelurahan"),
        queryset=Village.objects.none(),
        required=False,
        empty_label=gettext_lazy("Choose…"),
    )
    contact_name = forms.CharField(label=gettext_lazy("Your name"), max_length=150)
    contact_role = forms.CharField(
        label=gettext_lazy("Your position"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("E.g. headteacher, BK teacher, village head."),
    )
    contact_phone = forms.CharField(label=gettext_lazy("Phone or WhatsApp number"), max_length=30)
    contact_email = forms.EmailField(label=gettext_lazy("Email"), required=False)
    preferred_date = forms.DateField(
        label=gettext_lazy("Preferred date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    alternative_date = forms.DateField(
        label=gettext_lazy("Another possible date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    time_slot = forms.ChoiceField(
        label=gettext_lazy("Time"), choices=TIMES, initial="pagi", widget=forms.RadioSelect
    )
    topics = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Topics"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    expected_participants = forms.IntegerField(
        label=gettext_lazy("About how many participants?"),
        min_value=1,
        max_value=MAX_ATTENDANCE,
    )
    message = forms.CharField(
        label=gettext_lazy("Message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    # Honeypot: hidden by CSS; people leave it empty, form-filling bots do not.
    website = forms.CharField(label=gettext_lazy("Leave this empty"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.select_related("district")
        for field in self.fields.values():
            field.error_messages.update(
                required=_("Please fill this in."), invalid_choice=_("Choose from the list.")
            )
        self.fields["expected_participants"].error_messages.update(
            min_value=_("At least 1 participant."),
            max_value=_("At most %(max)s participants.") % {"max": "5.000"},
        )
        for name in ("preferred_date", "alternative_date"):
            self.fields[name].error_messages["invalid"] = _(
                "Write the date as DD-MM-YYYY, e.g. 25-08-2026."
            )
        self.school_choices: list[School] = []
        if self.is_bound:
            # The school radio list only exists after an ambiguous search.
            self.school_choices = self._school_matches(self.data.get("school_query", ""))[0]
            self.fields["school"].queryset = School.objects.filter(
                pk__in=[s.pk for s in self.school_choices]
            )

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))

    def _school_matches(self, query: str) -> tuple[list[School], str]:
        """(matching schools, error) for what was typed in the school field."""
        query = " ".join(query.split())
        if not query:
            return [], _("Type the school's NPSN or name.")
        if query.isdigit():
            if len(query) != 8:
                return [], _("An NPSN has exactly 8 digits.")
            school = selectors.school_by_npsn(query)
            if school is None:
                return [], _(
                    "NPSN %(npsn)s is not in our list of schools in Penajam Paser Utara. "
                    "Check the number, or type the school's name."
                ) % {"npsn": query}
            return [school], ""
        if len(query) < 3:
            return [], _("Type at least 3 letters of the school's name.")
        matches = list(selectors.school_search(query)[: self.MAX_SCHOOL_CHOICES + 1])
        if not matches:
            return [], _("No school with that name. Type its NPSN, or another part of its name.")
        if len(matches) > self.MAX_SCHOOL_CHOICES:
            return [], _("Many schools match. Type more of the name, or the NPSN.")
        return matches, ""

    def clean(self):
        data = super().clean()
        if data.get("target") == "sekolah":
            data["village"] = None
            if data.get("school") is None:
                matches, error = self._school_matches(data.get("school_query", ""))
                if error:
                    self.add_error("school_query", error)
                elif len(matches) == 1:
                    data["school"] = matches[0]
                else:
                    self.add_error(
                        "school", _("Several schools match. Choose yours from the list.")
                    )
        elif data.get("target") == "desa":
            data["school"] = None
            if data.get("village") is None:
                self.add_error("village", _("Choose your desa or kelurahan."))

        phone = data.get("contact_phone", "")
        if phone and (not PHONE_RE.match(phone) or not 8 <= len(re.sub(r"\D", "", phone)) <= 15):
            self.add_error(
                "contact_phone", _("Write a phone number of 8 to 15 digits, e.g. 0812 3456 7890.")
            )

        today = wita(timezone.now()).date()
        for name in ("preferred_date", "alternative_date"):
            day = data.get(name)
            if day and day <= today:
                self.add_error(name, _("Choose a date from tomorrow onwards."))
            elif day and day > today + timedelta(days=365):
                self.add_error(name, _("Choose a date within the next year."))
        return data

    def request_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "school": data["school"],
            "village": data["village"],
            "contact_name": data["contact_name"].strip(),
            "contact_role": data["contact_role"].strip(),
            "contact_phone": data["contact_phone"].strip(),
            "contact_email": data["contact_email"],
            "preferred_date": data["preferred_date"],
            "alternative_date": data["alternative_date"],
            "time_slot": data["time_slot"],
            "topics": data["topics"],
            "expected_participants": data["expected_participants"],
            "request_message": data["message"].strip(),
        }


class ReachFilterForm(forms.Form):
    """The reach dashboard's filters, as GET parameters that its exports and report
    share. A value that is not understood is dropped and said so in `notices`; the
    period is this year (WITA) unless chosen, and back to it when the end is before
    the start."""

    dari = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    sampai = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    kampanye = forms.ModelChoiceField(
        label=gettext_lazy("Campaign"),
        queryset=Campaign.objects.all(),
        required=False,
        empty_label=gettext_lazy("All campaigns"),
    )
    kecamatan = forms.ModelChoiceField(
        label=gettext_lazy("Kecamatan"),
        queryset=District.objects.all(),
        required=False,
        empty_label=gettext_lazy("All kecamatan"),
    )
    jenjang = forms.ChoiceField(
        label=gettext_lazy("School level"),
        choices=[("", gettext_lazy("All levels")), *SchoolLevel.choices],
        required=False,
    )

    YEARS = (2000, 2100)

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        self.notices: list[str] = []
        self.is_valid()
        if self.errors:
            labels = ", ".join(str(self.fields[name].label) for name in self.errors)
            self.notices.append(
                _("Some filters were not understood and are ignored: %(filters)s.")
                % {"filters": labels}
            )
            for name in self.errors:
                self.cleaned_data[name] = None
            self._errors = {}
        self._settle_period()
        # Shown again as applied: an ignored value leaves its field empty.
        self.data = self.querydict()

    def _settle_period(self) -> None:
        data = self.cleaned_data
        starts_on, ends_on = data.get("dari"), data.get("sampai")
        if starts_on and not ends_on:
            ends_on = starts_on.replace(month=12, day=31)
        if ends_on and not starts_on:
            starts_on = ends_on.replace(month=1, day=1)
        if starts_on and not (self.YEARS[0] <= starts_on.year and ends_on.year <= self.YEARS[1]):
            self.notices.append(
                _("Choose a period between %(first)d and %(last)d: it is back to this year.")
                % {"first": self.YEARS[0], "last": self.YEARS[1]}
            )
            starts_on = ends_on = None
        elif starts_on and ends_on < starts_on:
            self.notices.append(
                _("The end date is before the start date: the period is back to this year.")
            )
            starts_on = ends_on = None
        if starts_on is None:
            starts_on, ends_on = this_year()
        data["dari"], data["sampai"] = starts_on, ends_on

    def filters(self) -> dict:
        """Keyword arguments for campaigns.reach.reach()."""
        data = self.cleaned_data
        return {
            "starts_on": data["dari"],
            "ends_on": data["sampai"],
            "campaign": data.get("kampanye"),
            "district": data.get("kecamatan"),
            "level": data.get("jenjang") or "",
        }

    def querydict(self) -> dict[str, str]:
        """The applied filters as GET parameters, for links to the exports."""
        data = self.cleaned_data
        values = {
            "dari": data["dari"].isoformat(),
            "sampai": data["sampai"].isoformat(),
            "kampanye": data["kampanye"].pk if data.get("kampanye") else None,
            "kecamatan": data["kecamatan"].pk if data.get("kecamatan") else None,
            "jenjang": data.get("jenjang") or None,
        }
        return {name: str(value) for name, value in values.items() if value is not None}
