from quizzes import demo
from quizzes.models import Option, Question, Quiz, QuizSession


def test_demo_has_two_real_quizzes_and_an_open_public_session(db, public_site, client):
    demo.seed()
    demo.seed()  # safe to run again
    assert Quiz.objects.count() == 2
    levels = {quiz.audience.slug for quiz in Quiz.objects.all()}
    assert levels == {"siswa-smp", "siswa-sma"}
    for quiz in Quiz.objects.all():
        questions = list(quiz.questions.all())
        assert len(questions) == 8
        assert {q.kind for q in questions} == {"single", "multiple", "true_false"}
        for question in questions:
            correct = question.options.filter(is_correct=True).count()
            assert correct >= 1 and question.explanation
            if question.kind != "multiple":
                assert correct == 1
    session = QuizSession.objects.get(code="DEMO")
    assert session.closes_at is None and session.is_public and session.state() == "open"
    assert client.get("/q/DEMO/").status_code == 200
    assert Question.objects.count() == 16 and Option.objects.count() > 50
