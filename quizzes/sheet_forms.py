"""Forms of the paper answer sheets' admin screens (quizzes/sheet_views.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from quizzes.models import CLASS_MAX_LENGTH, NAME_MAX_LENGTH, Gender
from quizzes.sheets.layout import OPTION_LETTERS
from quizzes.sheets.records import MAX_SHEETS_PER_PRINT

GENDER_CHOICES = [("", _("Not filled in")), *Gender.choices]


class PrintForm(forms.Form):
    jumlah = forms.IntegerField(
        label=_("Number of sheets"),
        min_value=1,
        max_value=MAX_SHEETS_PER_PRINT,
        help_text=_(
            "One sheet per student, at most %(max)d at a time: for more, print again. "
            "The numbers follow on from the sheets printed before."
        ),
        error_messages={
            "required": _("Enter the number of sheets."),
            "min_value": _("Print at least 1 sheet."),
            "max_value": _(
                "Print at most %(limit_value)s sheets at a time: for more, print again "
                "(the numbers follow on)."
            ),
            "invalid": _("Enter the number of sheets in digits."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["jumlah"]
        field.help_text = field.help_text % {"max": MAX_SHEETS_PER_PRINT}


BLANK = "-"


class PageReviewForm(forms.Form):
    """Staff's reading of a flagged page: a choice per question (several where the
    question allows), the class, gender and the name on the sheet. The questions the
    reader doubted (`doubted`) start with nothing chosen, so that staff look at each;
    a single-answer one must then be chosen, "blank" included."""

    kelas = forms.CharField(
        label=_("Class"),
        max_length=CLASS_MAX_LENGTH,
        error_messages={"required": _("Enter the class, for example 5B.")},
    )
    jenis_kelamin = forms.ChoiceField(label=_("Gender"), choices=GENDER_CHOICES,
                                      required=False)  # fmt: skip
    nama = forms.CharField(label=_("Name for the certificate"), max_length=NAME_MAX_LENGTH,
                           required=False)  # fmt: skip

    def __init__(self, data=None, *, questions, read: dict, doubted: set, **kwargs):
        super().__init__(data, **kwargs)
        self.numbers = []
        for number, question in enumerate(questions, start=1):
            letters = OPTION_LETTERS[: len(question.options.all())]
            choices = [(letter, letter) for letter in letters]
            label = _("Question %(number)d") % {"number": number}
            chosen = read.get(str(number), [])
            if question.kind == "multiple":
                field = forms.MultipleChoiceField(
                    label=label, choices=choices, required=False,
                    widget=forms.CheckboxSelectMultiple,
                )  # fmt: skip
                field.initial = [] if number in doubted else chosen
            else:
                field = forms.ChoiceField(
                    label=label, choices=[(BLANK, _("blank")), *choices],
                    required=number in doubted, widget=forms.RadioSelect,
                    error_messages={"required": _("Choose the answer, or 'blank'.")},
                )  # fmt: skip
                field.initial = None if number in doubted else "".join(chosen[:1]) or BLANK
            self.fields[f"q{number}"] = field
            self.numbers.append(number)

    def answers(self) -> dict:
        chosen = {}
        for number in self.numbers:
            value = self.cleaned_data[f"q{number}"]
            if isinstance(value, list):
                chosen[str(number)] = sorted(value)
            else:
                chosen[str(number)] = [] if value in ("", BLANK) else [value]
        return chosen

    def question_fields(self):
        return [(number, self[f"q{number}"]) for number in self.numbers]


GRID_ROWS = 40


class GridRowForm(forms.Form):
    """One sheet typed by hand: its number if it has one, class, gender, name, and the
    answers as letters."""

    nomor = forms.IntegerField(label=_("Sheet no."), min_value=1, required=False)
    kelas = forms.CharField(label=_("Class"), max_length=CLASS_MAX_LENGTH, required=False)
    jenis_kelamin = forms.ChoiceField(label=_("B/G"), choices=GENDER_CHOICES, required=False)
    nama = forms.CharField(label=_("Name"), max_length=NAME_MAX_LENGTH, required=False)
    jawaban = forms.CharField(label=_("Answers"), max_length=120, required=False)

    def clean(self):
        data = super().clean()
        if data.get("jawaban") and not data.get("kelas"):
            self.add_error("kelas", _("Enter the class, for example 5B."))
        return data


GridFormSet = forms.formset_factory(GridRowForm, extra=GRID_ROWS, max_num=GRID_ROWS)


class SheetNamesForm(forms.Form):
    """The names typed from the name boxes of a batch's recorded sheets: a field
    "nama-<page id>" per page, checked like every other name (stripped, no NUL, at
    most NAME_MAX_LENGTH)."""

    def __init__(self, data=None, *, pages, **kwargs):
        super().__init__(data, **kwargs)
        for page in pages:
            self.fields[f"nama-{page.pk}"] = forms.CharField(
                label=_("Name"), max_length=NAME_MAX_LENGTH, required=False
            )

    def names(self) -> dict[int, str]:
        """{page id: name} of the names typed."""
        return {
            int(key.removeprefix("nama-")): name for key, name in self.cleaned_data.items() if name
        }
