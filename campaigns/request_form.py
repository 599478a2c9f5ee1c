"""The public session request form (/sosialisasi/ajukan/): a school or village asks
for a session, finding itself by NPSN, name or desa."""

import re
from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.fields import VillageChoiceField
from campaigns.models import MAX_ATTENDANCE, Visit
from cms.district import local, with_zone_lazy
from cms.models import Topic
from schools.models import School, Village
from schools.selectors import school_by_npsn, school_search

# Digits, spaces, dashes, dots, brackets and one leading +: 08xx..., +62 8xx..., (0542) ...
PHONE_RE = re.compile(r"^\+?[\d\s().-]{8,20}$")


class VisitRequestForm(forms.Form):
    """The public request form. Everything typed comes back after an error."""

    TARGETS = [("sekolah", gettext_lazy("A school")), ("desa", gettext_lazy("A village"))]
    TIMES = [
        ("pagi", with_zone_lazy(gettext_lazy("Morning (08.00–10.00 %(zone)s)"))),
        ("siang", with_zone_lazy(gettext_lazy("Late morning (10.00–12.00 %(zone)s)"))),
        ("sore", with_zone_lazy(gettext_lazy("Afternoon (14.00–16.00 %(zone)s)"))),
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
    # The model's length: a form field accepts 320 characters, the column 254.
    contact_email = forms.EmailField(
        label=gettext_lazy("Email"),
        max_length=Visit._meta.get_field("contact_email").max_length,
        required=False,
    )
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
            invalid=_("Write a number only, e.g. 80."),
            min_value=_("At least 1 participant."),
            max_value=_("At most %(max)s participants.") % {"max": "5.000"},
        )
        for name in ("preferred_date", "alternative_date"):
            self.fields[name].error_messages["invalid"] = _(
                "Write the date as DD-MM-YYYY, e.g. 25-08-2026."
            )
        self.school_choices: list[School] = []
        if self.is_bound:
            # The school radio list only exists after an ambiguous search, and only
            # for what the field accepts: PostgreSQL refuses a NUL byte in a search.
            query = self.data.get("school_query", "")
            if "\x00" not in query:
                self.school_choices = self._school_matches(query)[0]
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
        if query.isascii() and query.isdigit():
            if len(query) != 8:
                return [], _("An NPSN has exactly 8 digits.")
            school = school_by_npsn(query)
            if school is None:
                return [], _(
                    "NPSN %(npsn)s is not in our list of schools. "
                    "Check the number, or type the school's name."
                ) % {"npsn": query}
            return [school], ""
        if len(query) < 3:
            return [], _("Type at least 3 letters of the school's name.")
        matches = list(school_search(query)[: self.MAX_SCHOOL_CHOICES + 1])
        if not matches:
            return [], _("No school with that name. Type its NPSN, or another part of its name.")
        if len(matches) > self.MAX_SCHOOL_CHOICES:
            return [], _("Many schools match. Type more of the name, or the NPSN.")
        return matches, ""

    def clean(self):
        data = super().clean()
        if data.get("target") == "sekolah":
            data["village"] = None
            if data.get("school") is None and "school_query" not in self.errors:
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

        today = local(timezone.now()).date()
        for name in ("preferred_date", "alternative_date"):
            day = data.get(name)
            if day and day <= today:
                self.add_error(name, _("Choose a date from tomorrow onwards."))
            elif day and day > today + timedelta(days=365):
                self.add_error(name, _("Choose a date within the next year."))
        if data.get("alternative_date") and data["alternative_date"] == data.get("preferred_date"):
            self.add_error(
                "alternative_date", _("Choose another day than the preferred date, or none.")
            )
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
