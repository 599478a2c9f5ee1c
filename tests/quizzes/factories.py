import datetime

from django.utils import timezone

from cms.models import Audience, Topic
from quizzes.models import Option, Question, QuestionKind, Quiz
from quizzes.services import session_create


def make_quiz(
    *, title="Kuis Perundungan", questions=None, pass_mark=70, audience="siswa-smp"
) -> Quiz:
    """A quiz with, by default, a single choice, a multiple choice and a true/false
    question. `questions` is a list of (kind, text, [(option, correct), ...])."""
    quiz = Quiz.objects.create(
        title=title,
        introduction="Jawab semua soal.",
        topic=Topic.objects.get(slug="perundungan"),
        audience=Audience.objects.get(slug=audience),
        pass_mark=pass_mark,
    )
    questions = questions or [
        (QuestionKind.SINGLE, "Apa itu perundungan?",
         [("Bercanda", False), ("Menyakiti berulang", True), ("Bertengkar sekali", False)]),
        (QuestionKind.MULTIPLE, "Mana yang perundungan?",
         [("Mengejek terus", True), ("Mengucilkan", True), ("Meminjam pulpen", False)]),
        (QuestionKind.TRUE_FALSE, "Melapor sama dengan mengadu.",
         [("Benar", False), ("Salah", True)]),
    ]  # fmt: skip
    for order, (kind, text, options) in enumerate(questions):
        question = Question.objects.create(
            quiz=quiz, kind=kind, text=text, explanation=f"Penjelasan {order}", sort_order=order
        )
        for position, (option, correct) in enumerate(options):
            Option.objects.create(
                question=question, text=option, is_correct=correct, sort_order=position
            )
    return quiz


def make_session(quiz=None, **kwargs):
    kwargs.setdefault("opens_at", timezone.now() - datetime.timedelta(hours=1))
    return session_create(quiz=quiz or make_quiz(), **kwargs)


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
