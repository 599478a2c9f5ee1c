import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from campaigns.selectors import campaign_list
from cms.district import with_zone
from cms.forms import LenientForm, id_param
from quizzes.models import (
    CLASS_MAX_LENGTH,
    NAME_MAX_LENGTH,
    TRUE_FALSE_OPTIONS,
    Gender,
    Option,
    QuestionKind,
    Quiz,
    QuizSession,
)
from quizzes.selectors import quiz_questions
from quizzes.services import session_code_new
from schools.models import SchoolLevel
from schools.selectors import district_list, school_choices, school_list

QUESTION_FIELD = re.compile(r"^q(\d+)$")
NOT_LISTED = "lain"
# Which registry schools a quiz's audience means, for the public sessions' school list.
AUDIENCE_SCHOOL_LEVELS = {
    "siswa-sd": [SchoolLevel.SD, SchoolLevel.MI, SchoolLevel.SLB],
    "siswa-smp": [SchoolLevel.SMP, SchoolLevel.MTS, SchoolLevel.SLB],
    "siswa-sma": [SchoolLevel.SMA, SchoolLevel.MA, SchoolLevel.SMK, SchoolLevel.SLB],
}


class AttemptForm(forms.Form):
    """The student's form: who they are (as little as possible) and one field per
    question, whose choices are that question's options. Django's choice fields refuse
    unknown option ids and missing answers; `clean` refuses answers to questions that
    are not in this quiz."""

    token = forms.CharField(widget=forms.HiddenInput, required=False)
    kelas = forms.CharField(
        label=_("Your class"),
        max_length=CLASS_MAX_LENGTH,
        help_text=_("For example 8B."),
        error_messages={
            "required": _("Write your class, for example 8B."),
            "max_length": _("The class is too long: at most %(limit_value)d characters."),
        },
    )
    jenis_kelamin = forms.ChoiceField(
        label=_("Gender (you may skip this)"),
        choices=[*Gender.choices, ("", _("I would rather not say"))],
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": _("Choose one of the options shown.")},
    )
    nama = forms.CharField(
        label=_("Your name for the certificate (you may leave it empty)"),
        max_length=NAME_MAX_LENGTH,
        required=False,
        help_text=_("Write it as it should be printed. Without a name you get no certificate."),
        error_messages={
            "max_length": _("The name is too long: at most %(limit_value)d characters."),
        },
    )

    def __init__(self, data=None, *, quiz, session: QuizSession | None = None, **kwargs):
        super().__init__(data, **kwargs)
        self.quiz = quiz
        self.fields["kelas"].widget.attrs.update(maxlength=CLASS_MAX_LENGTH)
        self.fields["nama"].widget.attrs.update(maxlength=NAME_MAX_LENGTH)
        if session is not None and session.is_public:
            self.fields["sekolah"] = forms.ChoiceField(
                label=_("Your school"),
                choices=self._school_choices(quiz),
                error_messages={
                    "required": _("Choose your school."),
                    "invalid_choice": _("Choose one of the options shown."),
                },
            )
            self.order_fields(["token", "sekolah"])
        self.questions = quiz_questions(quiz)
        for number, question in enumerate(self.questions, start=1):
            choices = [(str(option.pk), option.text) for option in question.options.all()]
            label = f"{number}. {question.text}"
            messages = {
                "required": _("Answer this question."),
                "invalid_choice": _("Choose one of the options shown."),
                "invalid_list": _("Choose one of the options shown."),
            }
            if question.kind == QuestionKind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    label=label,
                    choices=choices,
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("Tick every right answer."),
                    error_messages=messages,
                )
            else:
                field = forms.ChoiceField(
                    label=label, choices=choices, widget=forms.RadioSelect, error_messages=messages
                )
            field.question = question
            self.fields[self.field_name(question)] = field

    @staticmethod
    def field_name(question) -> str:
        return f"q{question.pk}"

    @staticmethod
    def _school_choices(quiz):
        return [
            ("", _("Choose your school")),
            *school_choices(levels=AUDIENCE_SCHOOL_LEVELS.get(quiz.audience.slug, ())),
            (NOT_LISTED, _("My school is not in the list")),
        ]

    @property
    def question_fields(self):
        return [self[self.field_name(question)] for question in self.questions]

    @property
    def identity_fields(self):
        return [self[name] for name in self.fields if not QUESTION_FIELD.match(name)]

    def clean_kelas(self):
        # "8 b" and "8B" are one class for the results and for pairing pre/post tests.
        return re.sub(r"\s+", "", self.cleaned_data["kelas"]).upper()

    def clean_nama(self):
        return " ".join(self.cleaned_data["nama"].split())

    def clean_sekolah(self):
        value = self.cleaned_data["sekolah"]
        return None if value == NOT_LISTED else int(value)

    def clean(self):
        own = {self.field_name(question) for question in self.questions}
        foreign = [key for key in self.data if QUESTION_FIELD.match(key) and key not in own]
        if foreign:
            raise ValidationError(
                _(
                    "The form had answers to questions that are not in this quiz. Check "
                    "your answers and send them again."
                ),  # fmt: skip
                code="foreign_question",
            )
        return super().clean()

    def answers(self) -> dict[int, list[int]]:
        """{question id: [chosen option ids]} from the cleaned data."""
        chosen = {}
        for question in self.questions:
            value = self.cleaned_data[self.field_name(question)]
            chosen[question.pk] = sorted(
                int(v) for v in (value if isinstance(value, list) else [value])
            )
        return chosen


class QuizSessionForm(WagtailAdminModelForm):
    """Staff's session form: the code may be left empty for a random one. For a visit
    of a campaign with quizzes, those quizzes come first."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False
        self.fields["opens_at"].label = with_zone(_("Opens (%(zone)s)"))
        self.fields["closes_at"].label = with_zone(_("Closes (%(zone)s)"))
        # A visit's name is its school or village: fetch them with the visits.
        visits = self.fields["visit"].queryset
        self.fields["visit"].queryset = visits.select_related("school", "village")
        self._campaign_quizzes_first()

    def _campaign_quizzes_first(self):
        visit = self["visit"].value()
        visit_id = id_param(str(getattr(visit, "pk", visit) or ""))
        if visit_id is None:
            return
        first = list(Quiz.objects.filter(campaigns__visits=visit_id).distinct().order_by("title"))
        if not first:
            return
        field = self.fields["quiz"]
        others = field.queryset.exclude(pk__in=[quiz.pk for quiz in first])
        # Only the list is grouped: the field still validates against its queryset.
        field.choices = [
            ("", field.empty_label),
            (_("Quizzes of this visit's campaign"), [(quiz.pk, str(quiz)) for quiz in first]),
            (_("Other quizzes"), [(quiz.pk, str(quiz)) for quiz in others]),
        ]

    def clean_code(self):
        return self.cleaned_data["code"].upper() or session_code_new()


class QuestionAdminForm(WagtailAdminModelForm):
    """A question in the quiz form. A true-or-false question takes its right answer
    here; saved without options, it gets "Benar" and "Salah" by itself."""

    true_false_answer = forms.ChoiceField(
        label=_("Right answer of a true/false question"),
        choices=[(text, text) for text in TRUE_FALSE_OPTIONS],
        widget=forms.RadioSelect,
        required=False,
        help_text=_(
            "Only for true/false: choose the right answer and leave the options empty. "
            "The options Benar and Salah are added when you save."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.kind == QuestionKind.TRUE_FALSE:
            right = [option.text for option in self.instance.options.all() if option.is_correct]
            if len(right) == 1 and right[0] in TRUE_FALSE_OPTIONS:
                self.initial.setdefault("true_false_answer", right[0])

    def save(self, commit=True):
        question = super().save(commit=commit)
        if question.kind != QuestionKind.TRUE_FALSE:
            return question
        answer = self.cleaned_data["true_false_answer"]
        # The options formset has just put the options in memory (modelcluster): the
        # quiz's save writes them, with these changes, in its transaction.
        options = list(question.options.all())
        if not options:
            question.options.add(
                *[
                    Option(text=text, is_correct=text == answer, sort_order=order)
                    for order, text in enumerate(TRUE_FALSE_OPTIONS)
                ]
            )
        for option in options:
            option.is_correct = option.text.strip().casefold() == answer.casefold()
        return question


class QuizAdminForm(WagtailAdminModelForm):
    """Checks each question's options against its kind, where the author sees it."""

    def clean(self):
        cleaned_data = super().clean()
        for question_form in self.formsets["questions"].forms:
            if not question_form.is_valid() or question_form.cleaned_data.get("DELETE"):
                continue
            options = [
                form.cleaned_data
                for form in question_form.formsets["options"].forms
                if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE")
            ]
            kind = question_form.cleaned_data.get("kind")
            if kind == QuestionKind.TRUE_FALSE:
                self._check_true_false(question_form, options)
                continue
            correct = sum(bool(option.get("is_correct")) for option in options)
            if len(options) < 2:
                question_form.add_error("kind", _("Give at least two options."))
            elif kind == QuestionKind.SINGLE and correct != 1:
                question_form.add_error("kind", _("Mark exactly one option as correct."))
            elif kind == QuestionKind.MULTIPLE and correct < 1:
                question_form.add_error("kind", _("Mark at least one option as correct."))
        return cleaned_data

    @staticmethod
    def _check_true_false(question_form, options):
        if not question_form.cleaned_data.get("true_false_answer"):
            question_form.add_error(
                "true_false_answer", _("Choose the right answer: Benar or Salah.")
            )
        texts = sorted(option["text"].strip().casefold() for option in options)
        if options and texts != sorted(text.casefold() for text in TRUE_FALSE_OPTIONS):
            question_form.add_error(
                "kind",
                _(
                    "A true/false question has only the options Benar and Salah. Leave "
                    "the options empty: they are added when you save."
                ),  # fmt: skip
            )


class ResultsFilterForm(LenientForm):
    """Filters of the results page, as GET parameters; invalid values are ignored."""

    starts_on = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    quiz = forms.ModelChoiceField(label=_("Quiz"), queryset=Quiz.objects.all(), required=False)
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=campaign_list(), required=False)
    district = forms.ModelChoiceField(
        label=_("Kecamatan"), queryset=district_list(), required=False
    )
    school = forms.ModelChoiceField(label=_("School"), queryset=school_list(), required=False)

    def filters(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()  # the invalid values are dropped, their cleaned value is None
        return {name: value for name, value in self.cleaned_data.items() if value}
