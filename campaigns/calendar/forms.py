from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from campaigns import selectors
from campaigns.fields import StaffChoiceField
from campaigns.models import Campaign
from cms.district import local
from cms.forms import YEARS, LenientForm
from schools.models import District


class CalendarFilterForm(LenientForm):
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fasilitator"].queryset = selectors.staff_users()

    def month(self) -> tuple[int, int]:
        """(year, month) from ?bulan=YYYY-MM, or this month, local."""
        try:
            first = datetime.strptime(self.cleaned_data.get("bulan") or "", "%Y-%m")  # noqa: DTZ007
            if YEARS[0] <= first.year <= YEARS[1]:
                return first.year, first.month
        except ValueError:
            pass
        today = local(timezone.now())
        return today.year, today.month
