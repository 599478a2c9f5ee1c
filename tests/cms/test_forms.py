import datetime as dt

from django import forms
from django.http import QueryDict

from cms.forms import LenientForm


class PeriodFilters(LenientForm):
    dari = forms.DateField(label="Dari", required=False)
    jumlah = forms.IntegerField(label="Jumlah", required=False, min_value=1)
    jenis = forms.ChoiceField(label="Jenis", choices=[("", "-")], required=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        # choices set after construction, as forms with querysets do
        self.fields["jenis"].choices = [("", "-"), ("sd", "SD")]


def test_invalid_values_are_dropped_and_named_in_form_order():
    form = PeriodFilters(QueryDict("jenis=sd&jumlah=dua&dari=2026-13-01"))
    assert form.is_valid()
    assert form.ignored == ["dari", "jumlah"]
    assert form.ignored_labels == ["Dari", "Jumlah"]
    assert form.cleaned_data == {"dari": None, "jumlah": None, "jenis": "sd"}
    # shown again as applied: the dropped values are gone from the form's data
    assert "dari" not in form.data and "jumlah" not in form.data
    assert form.data["jenis"] == "sd"


def test_valid_values_pass_and_nothing_is_ignored():
    form = PeriodFilters(QueryDict("dari=2026-03-01&jumlah=3"))
    assert form.is_valid()
    assert form.ignored == []
    assert form.cleaned_data["dari"] == dt.date(2026, 3, 1)
    assert form.cleaned_data["jumlah"] == 3


def test_a_choice_known_only_after_init_is_accepted():
    known, unknown = PeriodFilters(QueryDict("jenis=sd")), PeriodFilters(QueryDict("jenis=smp"))
    assert known.is_valid() and unknown.is_valid()
    assert known.cleaned_data["jenis"] == "sd"
    assert unknown.ignored == ["jenis"]


def test_an_unbound_form_ignores_nothing():
    form = PeriodFilters()
    assert not form.is_valid()
    assert form.ignored == []
