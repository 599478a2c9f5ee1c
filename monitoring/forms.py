from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.selectors import campaign_list
from cms.forms import YEARS, LenientForm
from cms.localtime import this_year
from schools.models import SchoolLevel
from schools.selectors import district_list, regencies_for


class ReachFilterForm(LenientForm):
    """The reach dashboard's filters, as GET parameters that its exports and report
    share. A value that is not understood is dropped and said so in `notices`; the
    period is this year (local) unless chosen, and back to it when the end is before
    the start.

    The regency (kabupaten) is a choice only where the instance holds more than one
    and `user` is not limited to one (schools.selectors.regencies_for):
    a limited user's figures are always their regency's, whatever the address asks,
    and a kecamatan of another regency than the one applied is dropped."""

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
        queryset=None,
        required=False,
        empty_label=gettext_lazy("All campaigns"),
    )
    # Choices from the one list the form reads anyway: no query per lookup.
    kabupaten = forms.ChoiceField(label=gettext_lazy("Kabupaten/kota"), required=False)
    kecamatan = forms.ModelChoiceField(
        label=gettext_lazy("Kecamatan"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("All kecamatan"),
    )
    jenjang = forms.ChoiceField(
        label=gettext_lazy("School level"),
        choices=[("", gettext_lazy("All levels")), *SchoolLevel.choices],
        required=False,
    )

    def __init__(self, data, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.limit, regencies = regencies_for(user)
        self.regencies = {str(each.pk): each for each in regencies}
        self.fields["kampanye"].queryset = campaign_list()
        self.fields["kecamatan"].queryset = district_list(regency=self.limit)
        if self.limit is None and len(regencies) > 1:
            self.fields["kabupaten"].choices = [
                ("", _("All kabupaten/kota")),
                *((pk, each.name) for pk, each in self.regencies.items()),
            ]
        else:
            del self.fields["kabupaten"]
        self.notices: list[str] = []
        self.is_valid()

    def full_clean(self):
        super().full_clean()
        if self.ignored:
            self.notices.append(
                _("Some filters were not understood and are ignored: %(filters)s.")
                % {"filters": ", ".join(self.ignored_labels)}
            )
        self._settle_regency()
        self._settle_period()
        # Shown again as applied: an ignored value leaves its field empty.
        self.data = self.querydict()

    def _settle_regency(self) -> None:
        """`regency` in cleaned_data: the limit, or the one chosen, or None (all)."""
        data = self.cleaned_data
        if self.limit is not None:
            asked = self.data.get("kabupaten")
            if asked and asked != str(self.limit.pk):
                self.notices.append(
                    _("You see the figures of %(regency)s only.") % {"regency": self.limit}
                )
            data["regency"] = self.limit
        else:
            data["regency"] = self.regencies.get(data.get("kabupaten") or "")
        district, regency = data.get("kecamatan"), data["regency"]
        if district is not None and regency is not None and district.regency_id != regency.pk:
            self.notices.append(
                _("Kecamatan %(district)s is not in %(regency)s: it is ignored.")
                % {"district": district, "regency": regency}
            )
            data["kecamatan"] = None
        if regency is not None:
            # Offer only the kecamatan of the regency shown.
            self.fields["kecamatan"].queryset = district_list(regency=regency)

    def _settle_period(self) -> None:
        data = self.cleaned_data
        starts_on, ends_on = data.get("dari"), data.get("sampai")
        if starts_on and not ends_on:
            ends_on = starts_on.replace(month=12, day=31)
        if ends_on and not starts_on:
            starts_on = ends_on.replace(month=1, day=1)
        if starts_on and not (YEARS[0] <= starts_on.year and ends_on.year <= YEARS[1]):
            self.notices.append(
                _("Choose a period between %(first)d and %(last)d: it is back to this year.")
                % {"first": YEARS[0], "last": YEARS[1]}
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
        """Keyword arguments for monitoring.selectors.reach()."""
        data = self.cleaned_data
        return {
            "starts_on": data["dari"],
            "ends_on": data["sampai"],
            "campaign": data.get("kampanye"),
            "regency": data["regency"],
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
            "kabupaten": data["regency"].pk if data["regency"] else None,
            "kecamatan": data["kecamatan"].pk if data.get("kecamatan") else None,
            "jenjang": data.get("jenjang") or None,
        }
        return {name: str(value) for name, value in values.items() if value is not None}
