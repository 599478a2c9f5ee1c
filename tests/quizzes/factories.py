import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from cms.models import Audience, Topic
from quizzes.models import Option, Question, QuestionKind, Quiz, QuizSession
from quizzes.services import session_create

# A single choice, a multiple choice and a true/false question, as
# (kind, text, [(option, correct), ...]).
QUESTIONS = [
    (QuestionKind.SINGLE, "Apa itu perundungan?",
     [("Bercanda", False), ("Menyakiti berulang", True), ("Bertengkar sekali", False)]),
    (QuestionKind.MULTIPLE, "Mana yang perundungan?",
     [("Mengejek terus", True), ("Mengucilkan", True), ("Meminjam pulpen", False)]),
    (QuestionKind.TRUE_FALSE, "Melapor sama dengan mengadu.",
     [("Benar", False), ("Salah", True)]),
]  # fmt: skip


class QuizFactory(DjangoModelFactory):
    """A quiz with the three QUESTIONS, or `questions=[(kind, text, options), ...]`."""

    class Meta:
        model = Quiz
        skip_postgeneration_save = True

    title = "Kuis Perundungan"
    introduction = "Jawab semua soal."
    topic = factory.LazyFunction(lambda: Topic.objects.get(slug="perundungan"))
    audience = factory.LazyFunction(lambda: Audience.objects.get(slug="siswa-smp"))
    pass_mark = 70

    @factory.post_generation
    def questions(self, create, extracted, **kwargs):
        if not create:
            return
        for order, (kind, text, options) in enumerate(extracted or QUESTIONS):
            question = Question.objects.create(
                quiz=self, kind=kind, text=text, explanation=f"Penjelasan {order}", sort_order=order
            )
            Option.objects.bulk_create(
                Option(question=question, text=option, is_correct=correct, sort_order=position)
                for position, (option, correct) in enumerate(options)
            )


class QuizSessionFactory(DjangoModelFactory):
    """A session opened an hour ago, made by the service as staff's form does (a
    random code; the school of its visit)."""

    class Meta:
        model = QuizSession

    quiz = factory.SubFactory(QuizFactory)
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return session_create(**kwargs)


def answers_for(quiz, *, right: bool | int = True) -> dict[str, str | list[str]]:
    """POST data answering every question, all right, all wrong, or the first `right`
    questions right."""
    data = {}
    for index, question in enumerate(quiz.questions.all()):
        correct = right if isinstance(right, bool) else index < right
        options = [o for o in question.options.all() if o.is_correct == correct]
        chosen = [str(o.pk) for o in options] if question.kind == "multiple" else str(options[0].pk)
        data[f"q{question.pk}"] = chosen
    return data
