import json

from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from cms import ratelimit
from cms.urls import urlpatterns as project_urlpatterns
from quizzes.forms import AttemptForm
from quizzes.selectors import session_by_code
from quizzes.services import SUBMITS_PER_SESSION
from quizzes.tokens import token_read
from quizzes.views import _to_result


@csrf_exempt
def bare_insert(request):
    """The baseline: a Django view that reads one field and inserts one row."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_row (token) VALUES (%s)", [request.POST.get("token")])
    return HttpResponse("ok")


@csrf_exempt
def floor_submit(request, code):
    """The least any design that checks a student's answers before keeping them can
    cost: the quiz form and its signed token checked, one rate limit counted (one Redis
    round trip), the answers inserted as one row of JSON, and the redirect to the result
    with its cookie. No grading, no answer rows, no certificate. It stores nothing the
    platform could use; it is only measured."""
    session = session_by_code(code)
    form = AttemptForm(request.POST, quiz=session.quiz, session=session)
    posted = token_read(session, request.POST.get("token", ""))
    if not form.is_valid() or posted is None:
        return HttpResponse(status=400)
    ratelimit.hit(SUBMITS_PER_SESSION, "bench-floor", str(session.pk))
    payload = json.dumps({**form.cleaned_data, "answers": form.answers()})
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_floor_row (payload) VALUES (%s)", [payload])
    return _to_result(request, session, posted[0])


urlpatterns = [
    path("bare/", bare_insert),
    path("floor/<str:code>/", floor_submit),
    *project_urlpatterns,
]
