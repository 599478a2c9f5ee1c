"""Forms of the paper answer sheets' admin screens (quizzes/sheet_views.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from quizzes.models import CLASS_MAX_LENGTH, NAME_MAX_LENGTH, Gender
from quizzes.sheets.layout import OPTION_LETTERS
from quizzes.sheets.records import MAX_SHEETS_PER_PRINT

GENDER_CHOICES = [("", _("Tidak diisi")), *Gender.choices]


class PrintForm(forms.Form):
    jumlah = forms.IntegerField(
        label=_("Jumlah lembar"),
        min_value=1,
        max_value=MAX_SHEETS_PER_PRINT,
        help_text=_(
            "One sheet per student, at most %(max)d at a time: for more, print again. "
            "The numbers follow on from the sheets printed before."
        ),
        error_messages={
            "required": _("Tulis jumlah lembar."),
            "min_value": _("Cetak paling sedikit 1 lembar."),
            "max_value": _(
                "Print at most %(limit_value)s sheets at a time: for more, print again "
                "(the numbers follow on)."
            ),
            "invalid": _("Tulis jumlah lembar dengan angka."),
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
    a single-answer one must then be chosen, "kosong" included."""

    kelas = forms.CharField(
        label=_("Kelas"),
        max_length=CLASS_MAX_LENGTH,
        error_messages={"required": _("Tulis kelasnya, misalnya 5B.")},
    )
    jenis_kelamin = forms.ChoiceField(label=_("Jenis kelamin"), choices=GENDER_CHOICES,
                                      required=False)  # fmt: skip
    nama = forms.CharField(label=_("Nama untuk sertifikat"), max_length=NAME_MAX_LENGTH,
                           required=False)  # fmt: skip

    def __init__(self, data=None, *, questions, read: dict, doubted: set, **kwargs):
        super().__init__(data, **kwargs)
        self.numbers = []
        for number, question in enumerate(questions, start=1):
            letters = OPTION_LETTERS[: len(question.options.all())]
            choices = [(letter, letter) for letter in letters]
            label = _("Soal %(number)d") % {"number": number}
            chosen = read.get(str(number), [])
            if question.kind == "multiple":
                field = forms.MultipleChoiceField(
                    label=label, choices=choices, required=False,
                    widget=forms.CheckboxSelectMultiple,
                )  # fmt: skip
                field.initial = [] if number in doubted else chosen
            else:
                field = forms.ChoiceField(
                    label=label, choices=[(BLANK, _("kosong")), *choices],
                    required=number in doubted, widget=forms.RadioSelect,
                    error_messages={"required": _("Pilih jawabannya, atau 'kosong'.")},
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

    nomor = forms.IntegerField(label=_("No. lembar"), min_value=1, required=False)
    kelas = forms.CharField(label=_("Kelas"), max_length=CLASS_MAX_LENGTH, required=False)
    jenis_kelamin = forms.ChoiceField(label=_("L/P"), choices=GENDER_CHOICES, required=False)
    nama = forms.CharField(label=_("Nama"), max_length=NAME_MAX_LENGTH, required=False)
    jawaban = forms.CharField(label=_("Jawaban"), max_length=120, required=False)

    def clean(self):
        data = super().clean()
        if data.get("jawaban") and not data.get("kelas"):
            self.add_error("kelas", _("Tulis kelasnya, misalnya 5B."))
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
                label=_("Nama"), max_length=NAME_MAX_LENGTH, required=False
            )

    def names(self) -> dict[int, str]:
        """{page id: name} of the names typed."""
        return {
            int(key.removeprefix("nama-")): name for key, name in self.cleaned_data.items() if name
        }
