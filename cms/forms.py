from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from cms.models import Audience, MaterialFormat, Topic

# The largest id a bigint column holds.
MAX_ID = 2**63 - 1
# The years of any date typed or asked for: every campaign's, and far from the ends of
# Python's calendar, where the day after or a time zone's offset overflows.
YEARS = (2000, 2100)


def id_param(value: str) -> int | None:
    """A row id given as a GET parameter (?visit=12), or None when it is not one:
    ASCII digits only ("²" and "①" pass str.isdigit() but int() refuses them) and
    within a bigint, so the database never sees a value it cannot compare."""
    if value.isascii() and value.isdigit() and int(value) <= MAX_ID:
        return int(value)
    return None


class DayField(forms.DateField):
    """A date within YEARS."""

    def validate(self, value):
        super().validate(value)
        if value and not YEARS[0] <= value.year <= YEARS[1]:
            raise ValidationError(
                _("Choose a date between %(first)d and %(last)d."),
                code="out_of_range",
                params={"first": YEARS[0], "last": YEARS[1]},
            )


class LenientForm(forms.Form):
    """Filters given as GET parameters, where a value that is not valid (an old
    bookmark, a typo, a fuzzer) is dropped rather than reported: the page shows more,
    never an error. Once validated, `ignored` lists the dropped fields in form order;
    their cleaned value is None and they are gone from `data`, so the form shows the
    filters actually applied. Such a form is always valid."""

    ignored: list[str] = []  # replaced by full_clean, never mutated

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        self.ignored = [name for name in self.fields if name in self._errors]
        for name in self.ignored:
            self.cleaned_data[name] = None
        if self.ignored:
            self.data = self.data.copy()
            for name in self.ignored:
                self.data.pop(name, None)
        self._errors = ErrorDict()

    @property
    def ignored_labels(self) -> list[str]:
        return [str(self.fields[name].label) for name in self.ignored]


class MaterialFilterForm(LenientForm):
    """The library's filters as plain GET parameters. A value that is not valid (an old
    bookmark, a typo) is dropped rather than reported: the list just shows more."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    topik = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All topics"),
    )
    sasaran = forms.ModelChoiceField(
        label=_("Audience"),
        queryset=Audience.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All audiences"),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("", _("All formats")), *MaterialFormat.choices],
        required=False,
    )

    @property
    def applied(self) -> dict:
        self.is_valid()
        return {
            "query": (self.cleaned_data.get("q") or "").strip(),
            "topic": self.cleaned_data.get("topik"),
            "audience": self.cleaned_data.get("sasaran"),
            "material_format": self.cleaned_data.get("format") or "",
        }

    def querystring(self) -> str:
        """The applied filters, for pagination links."""
        params = {
            "q": self.applied["query"],
            "topik": self.data.get("topik", "") if self.applied["topic"] else "",
            "sasaran": self.data.get("sasaran", "") if self.applied["audience"] else "",
            "format": self.applied["material_format"],
        }
        return urlencode({k: v for k, v in params.items() if v})
