from django import forms
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from cms.models import Audience, MaterialFormat, Topic


class MaterialFilterForm(forms.Form):
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

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        self.is_valid()
        self.ignored = sorted(self.errors)
        # Drop the invalid values so the form shows what is actually applied.
        self.data = self.data.copy()
        for name in self.ignored:
            self.data.pop(name, None)
        self._errors = {}

    @property
    def applied(self) -> dict:
        return {
            "query": self.cleaned_data.get("q", "").strip(),
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
