"""Forms of the coordination meetings' screens. Dates are local days; the meeting's time
is entered in the district's zone. Native date and time inputs: they need no JavaScript."""

from datetime import datetime
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import PartnerAgency
from cms.district import district_zone, local, with_zone_lazy
from cms.forms import DayField
from monitoring.attachments import TooManyPixels, attachment_matches
from monitoring.models import ActionStatus, Meeting
from schools.models import Regency

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# An attachment (minutes, a letter, a photo of a signed list) is at most this big.
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = {".pdf", ".jpg", ".jpeg", ".png", ".webp", ".doc", ".docx", ".xls", ".xlsx",
                    ".ppt", ".pptx", ".odt", ".ods"}  # fmt: skip


class MeetingForm(forms.Form):
    """A meeting's details, who came (people per agency), minutes and decisions."""

    date = DayField(label=gettext_lazy("Date"), widget=DATE)
    time = forms.TimeField(
        label=with_zone_lazy(gettext_lazy("Time (%(zone)s)")),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200)
    kabupaten = forms.ChoiceField(
        label=gettext_lazy("Kabupaten/kota"),
        required=False,
        help_text=gettext_lazy("The pack's figures are this kabupaten/kota's only."),
    )
    reviews_from = DayField(
        label=gettext_lazy("Period reviewed: from"),
        widget=DATE,
        required=False,
        help_text=gettext_lazy("Empty: the day after the previous meeting."),
    )
    reviews_to = DayField(
        label=gettext_lazy("Period reviewed: to"),
        widget=DATE,
        required=False,
        help_text=gettext_lazy("Empty: the meeting's day."),
    )
    minutes = forms.CharField(
        label=gettext_lazy("Minutes"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    decisions = forms.CharField(
        label=gettext_lazy("Decisions"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=gettext_lazy("The next meeting's pack starts from them."),
    )

    def __init__(
        self,
        *args,
        agencies: list[PartnerAgency],
        regencies: list[Regency],
        limit: Regency | None = None,
        meeting: Meeting | None = None,
        **kw,
    ):
        """`regencies`: those a meeting may be about, offered when there are several
        and the user is not limited to one (`limit`): a limited user's meetings are
        about their regency."""
        if meeting is not None:
            held = local(meeting.held_at)
            present = {row.agency_id: row.people for row in meeting.attendance.all()}
            kw["initial"] = {
                "date": held.date(),
                "time": held.time(),
                "place": meeting.place,
                "kabupaten": str(meeting.regency_id or ""),
                "reviews_from": meeting.reviews_from,
                "reviews_to": meeting.reviews_to,
                "minutes": meeting.minutes,
                "decisions": meeting.decisions,
                **{f"people_{pk}": people for pk, people in present.items()},
            }
        super().__init__(*args, **kw)
        self.agencies = agencies
        self.limit = limit
        self.regencies = {str(each.pk): each for each in regencies}
        if limit is None and len(regencies) > 1:
            self.fields["kabupaten"].choices = [
                ("", _("All kabupaten/kota")),
                *((pk, each.name) for pk, each in self.regencies.items()),
            ]
        else:
            del self.fields["kabupaten"]
        for agency in agencies:
            self.fields[f"people_{agency.pk}"] = forms.IntegerField(
                label=agency.name, min_value=0, max_value=500, required=False
            )

    def head_fields(self):
        """The meeting's details, shown before who came."""
        names = ["date", "time", "place", "kabupaten", "reviews_from", "reviews_to"]
        return [self[name] for name in names if name in self.fields]

    def attendance_fields(self):
        return [self[f"people_{agency.pk}"] for agency in self.agencies]

    def clean(self):
        data = super().clean()
        start, end = data.get("reviews_from"), data.get("reviews_to")
        if start and end and end < start:
            self.add_error("reviews_to", _("The period reviewed must end after it starts."))
        return data

    def meeting_fields(self) -> dict:
        data = self.cleaned_data
        zone = district_zone()
        return {
            "held_at": datetime.combine(data["date"], data["time"], tzinfo=zone),
            "place": data["place"],
            "regency": self.limit or self.regencies.get(data.get("kabupaten") or ""),
            "reviews_from": data["reviews_from"],
            "reviews_to": data["reviews_to"],
            "minutes": data["minutes"],
            "decisions": data["decisions"],
            "attendance": {agency: data.get(f"people_{agency.pk}") for agency in self.agencies},
        }


class ActionForm(forms.Form):
    what = forms.CharField(
        label=gettext_lazy("Action"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Agency responsible"), queryset=PartnerAgency.objects.all()
    )
    due_on = DayField(label=gettext_lazy("Due date"), widget=DATE)


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=ActionStatus.choices)
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attachment = forms.FileField(
        label=gettext_lazy("Attachment"),
        required=False,
        help_text=gettext_lazy(
            "Optional. PDF, a photo, or a Word, Excel or PowerPoint file; at most 10 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted(ATTACHMENT_TYPES))}),
    )

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        suffix = PurePath(upload.name).suffix.lower()
        if suffix not in ATTACHMENT_TYPES:
            raise forms.ValidationError(
                _("%(name)s is not a PDF, a photo or an Office file.") % {"name": upload.name}
            )
        if upload.size > ATTACHMENT_MAX_BYTES:
            raise forms.ValidationError(
                _("%(name)s is %(size)s; an attachment may be at most %(max)s.")
                % {
                    "name": upload.name,
                    "size": filesizeformat(upload.size),
                    "max": filesizeformat(ATTACHMENT_MAX_BYTES),
                }
            )
        try:
            matches = attachment_matches(upload)
        except TooManyPixels:
            raise forms.ValidationError(
                _("%(name)s has more than %(max)d megapixels: send a smaller photo.")
                % {"name": upload.name, "max": settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS // 10**6}
            ) from None
        if not matches:
            raise forms.ValidationError(
                _(
                    "%(name)s does not hold what its name says (a %(type)s file). Choose "
                    "the right file again: files are not kept after an error."
                )
                % {"name": upload.name, "type": suffix.lstrip(".").upper()}
            )
        return upload


class PartnerMembersForm(forms.Form):
    """Which agency each partner user belongs to."""

    def __init__(self, *args, users, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.users = list(users)
        choices = [("", _("No agency"))] + [(str(agency.pk), agency.name) for agency in agencies]
        self.agencies = {str(agency.pk): agency for agency in agencies}
        for user in self.users:
            member = getattr(user, "partner_member", None)
            self.fields[f"agency_{user.pk}"] = forms.ChoiceField(
                label=user.get_full_name() or user.get_username(),
                choices=choices,
                required=False,
                initial=str(member.agency_id) if member else "",
            )

    def rows(self):
        return [(user, self[f"agency_{user.pk}"]) for user in self.users]

    def memberships(self):
        return [
            (user, self.agencies.get(self.cleaned_data[f"agency_{user.pk}"])) for user in self.users
        ]
