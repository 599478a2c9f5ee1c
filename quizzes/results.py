"""What a set of attempts says: the results functions take a queryset of attempts
(build it with `quizzes.selectors.attempts_in`) and answer with a fixed number of
aggregate queries, however many attempts there are, so the dashboard and the visit pages
can call them freely:

    attempts = attempts_in(starts_on=date(2026, 1, 1), ends_on=date(2026, 6, 30), district=d)
    attempt_figures(attempts)   # attempts, passed, pass rate, mean score, certificates
    question_figures(attempts)  # % correct per question
    prepost_figures(attempts)   # pre/post pairs, mean gain, share improved
    school_figures(attempts)    # the same per school
"""

from django.db.models import Avg, Count, Q, QuerySet

from quizzes.models import Answer, Attempt, AttemptSource, CertificateStatus, SessionKind


def attempt_figures(attempts: QuerySet[Attempt]) -> dict:
    """Attempts (and how many of them on paper), passed, pass rate (%), mean score (%)
    and certificates issued, in one query. Rates are None when there is no attempt."""
    figures = attempts.aggregate(
        attempts=Count("pk"),
        paper=Count("pk", filter=Q(source=AttemptSource.PAPER)),
        passed=Count("pk", filter=Q(passed=True)),
        mean_score=Avg("score"),
        certificates=Count("certificate", filter=Q(certificate__status=CertificateStatus.READY)),
    )
    figures["pass_rate"] = _percent(figures["passed"], figures["attempts"])
    return figures


def question_figures(attempts: QuerySet[Attempt]) -> list[dict]:
    """Per question, in quiz order: quiz title, question text, answers, right answers
    and % right, to see which messages did not land. One query."""
    rows = (
        Answer.objects.filter(attempt__in=attempts)
        .values("question_id", "question__text", "question__quiz__title")
        .annotate(answered=Count("pk"), correct=Count("pk", filter=Q(is_correct=True)))
        .order_by("question__quiz__title", "question__quiz_id", "question__sort_order")
    )
    return [
        {
            "question_id": row["question_id"],
            "quiz": row["question__quiz__title"],
            "text": row["question__text"],
            "answered": row["answered"],
            "correct": row["correct"],
            "correct_rate": _percent(row["correct"], row["answered"]),
        }
        for row in rows
    ]


def prepost_pairs(attempts: QuerySet[Attempt], *fields) -> list[tuple[list, list]]:
    """The pre-test and post-test of the same visit, paired per student: same device
    cookie and same class, with exactly one attempt on each side (a phone shared by
    several students of one class cannot be paired and is left out). One query.

    Each pair is (pre, post), each side [score, *its values of `fields`] (field names
    or expressions, as for `values_list`)."""
    rows = (
        attempts.filter(
            session__visit__isnull=False,
            session__kind__in=[SessionKind.PRE, SessionKind.POST],
        )
        .exclude(device_id="")
        .values_list(
            "session__visit_id", "session__kind", "device_id", "class_name", "score", *fields
        )
    )
    sides: dict[tuple, dict[str, list[list]]] = {}
    for visit_id, kind, device_id, class_name, *side in rows:
        sides.setdefault((visit_id, device_id, class_name), {}).setdefault(kind, []).append(side)
    return [
        (side[SessionKind.PRE][0], side[SessionKind.POST][0])
        for side in sides.values()
        if len(side.get(SessionKind.PRE, [])) == 1 and len(side.get(SessionKind.POST, [])) == 1
    ]


def prepost_figures(attempts: QuerySet[Attempt]) -> dict:
    """The students' pre/post pairs (see `prepost_pairs`): pairs, mean pre and post
    scores, mean gain (points) and the share of students who improved (%); None
    figures when there is no pair. One query."""
    pairs = [(pre, post) for (pre,), (post,) in prepost_pairs(attempts)]
    if not pairs:
        return {"pairs": 0, "pre_mean": None, "post_mean": None, "mean_gain": None,
                "improved_rate": None}  # fmt: skip
    count = len(pairs)
    return {
        "pairs": count,
        "pre_mean": sum(pre for pre, _ in pairs) / count,
        "post_mean": sum(post for _, post in pairs) / count,
        "mean_gain": sum(post - pre for pre, post in pairs) / count,
        "improved_rate": _percent(sum(post > pre for pre, post in pairs), count),
    }


def school_figures(attempts: QuerySet[Attempt]) -> list[dict]:
    """attempt_figures per school (None for students whose school is not in the
    registry), most attempts first. One query."""
    rows = (
        attempts.values("school_id", "school__name")
        .annotate(
            attempts=Count("pk"),
            passed=Count("pk", filter=Q(passed=True)),
            mean_score=Avg("score"),
        )
        .order_by("-attempts", "school__name")
    )
    return [{**row, "pass_rate": _percent(row["passed"], row["attempts"])} for row in rows]


def _percent(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None
