"""The students' pages (/q/<code>/), certificate verification and download, and the
QR codes and poster that staff print.

Student pages need no login and no JavaScript and stay small for cheap phones."""

import itertools
import math
import re
import secrets
import unicodedata

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from limits import parse

from cms import qr, ratelimit
from cms.links import absolute_url
from cms.pdf import render_to_pdf
from quizzes.forms import AttemptForm
from quizzes.models import CertificateStatus, SessionState
from quizzes.selectors import (
    attempt_by_token,
    attempt_count,
    attempt_exists,
    certificate_by_code,
    certificate_by_download_key,
    quiz_questions,
    session_by_code,
    session_poster,
)
from quizzes.services import (
    SessionBusy,
    SessionFull,
    SessionNotOpen,
    TooManyTries,
    attempt_submit,
    submission_admit,
)
from quizzes.tokens import sent_mark, sent_read, token_new, token_read

# A quiz form posts a few kilobytes; anything far bigger is refused before it is read.
MAX_BODY_BYTES = 64 * 1024
DEVICE_COOKIE = "sa_perangkat"
DEVICE_COOKIE_AGE = 90 * 24 * 3600
DEVICE_ID = re.compile(r"^[0-9a-f]{32}$")
# A phone remembers the answers it sent to a session for a school day, in a cookie
# limited to that session's pages (see quizzes/tokens.py).
SENT_COOKIE = "sa_terkirim"
SENT_COOKIE_AGE = 12 * 3600
STAFF_LOGIN = "wagtailadmin_login"
# Certificate lookups that find nothing. What makes guessing infeasible is the code
# space (31^12, about 7.9e17 codes) under the site-wide cap: 2000 failures in 10 minutes
# from all addresses together, about 1e8 a year, which with 100,000 valid certificates
# finds one about once in 75,000 years. Per client address (a whole school shares one)
# failures only slow down, so a class mistyping codes never locks the school out for
# long: 20 in 10 minutes wait for nothing, beyond that each try waits 10 s after the
# last failure, and beyond 40, 30 s. Every student of the school, valid code or not,
# waits at most about 30 s; one address makes at most about 55 failures in 10 minutes
# (20 free, 20 ten seconds apart, the rest thirty), fewer than the 100 of the old
# outright block, which then locked the school out for up to 10 minutes.
FAILED_VERIFICATIONS_PER_CLIENT = ratelimit.Backoff(
    name="verify", window=parse("1000/10 minutes"), tiers=((20, 10), (40, 30))
)
FAILED_VERIFICATIONS_SITE_WIDE = parse("2000/10 minutes")


# The student form is exempt from Django's CSRF check, on purpose. CSRF protects a
# logged-in user from actions forged by another site; a student has no login or session
# to abuse, and a forged post could only record an attempt that the forger might as well
# send themselves. What the CSRF token would add is done here by the signed one-time
# submission token (bound to this session, expiring). The check would also cost answers:
# a shared phone with cookies blocked or a form left open for hours would get an error
# page instead of a kept form, and it reads the body before our size limit applies.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def take(request, code: str):
    session = session_by_code(code)
    if session is None:
        return _unavailable(request, None, "unknown")
    if request.method == "POST":
        return _submit(request, session)
    if code != session.code:  # the sent-answers cookie's path has the code in capitals
        return redirect(session.path, permanent=True)
    # A phone that sent answers here gets its result back, however it came to reload
    # the form (Back, history, a reopened tab): a fresh form would let the same answers
    # count twice. Only "Next student" hands out a new form.
    sent = sent_read(session, request.COOKIES.get(SENT_COOKIE, ""))
    if sent and attempt_exists(session=session, token=sent):
        return redirect(reverse("quizzes:result", args=[session.code, sent]))
    state = session.state()
    if state != SessionState.OPEN:
        return _unavailable(request, session, state)
    if session.max_attempts and attempt_count(session) >= session.max_attempts:
        return _unavailable(request, session, "full")
    form = AttemptForm(quiz=session.quiz, session=session, initial={"token": token_new(session)})
    return _form_page(request, session, form)


def _submit(request, session):
    try:
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY_BYTES:
            return _too_large(request, session)
        data = request.POST.copy()
    except (ValueError, RequestDataTooBig, TooManyFieldsSent):
        return _too_large(request, session)

    posted = token_read(session, data.get("token", ""))
    token, issued_at = posted or (None, None)
    try:
        if recorded := submission_admit(session=session, token=token, issued_at=issued_at):
            return _to_result(request, session, recorded.token)
    except TooManyTries:
        return render(request, "quizzes/busy.html", {"session": session}, status=429)
    except SessionNotOpen as refused:
        return _unavailable(request, session, refused.state)

    form = AttemptForm(data, quiz=session.quiz, session=session)
    if posted is None:
        # Expired or missing token: keep the answers, hand out a fresh token.
        data["token"] = token_new(session)
        form.is_valid()
        form.add_error(
            None,
            _(
                "This form was open for a long time. Your answers are still here: check "
                "them and press Send again."
            ),
        )
        return _form_page(request, session, form)
    if not form.is_valid():
        return _form_page(request, session, form)
    try:
        attempt, _created = attempt_submit(
            session=session,
            token=token,
            issued_at=issued_at,
            class_name=form.cleaned_data["kelas"],
            gender=form.cleaned_data["jenis_kelamin"],
            name=form.cleaned_data["nama"],
            school_id=form.cleaned_data.get("sekolah"),
            answers=form.answers(),
            device_id=_device_id(request),
        )
    except SessionBusy:
        form.add_error(
            None,
            _(
                "Many answers arrived at once. Wait a minute and press Send again: your "
                "answers are still in the form."
            ),
        )
        return _form_page(request, session, form, status=429)
    except SessionNotOpen as refused:  # closed while the form was being read
        return _unavailable(request, session, refused.state)
    except SessionFull:
        return _unavailable(request, session, "full")
    except ValidationError as error:
        form.add_error(None, error)
        return _form_page(request, session, form)
    return _to_result(request, session, attempt.token)


@never_cache
@require_GET
def result(request, code: str, token: str):
    session = session_by_code(code)
    attempt = attempt_by_token(session=session, token=token) if session else None
    if attempt is None:
        return _unavailable(request, session, "unknown")
    if not _shows_result(request, session, token):
        return redirect(session.path)
    answers = {answer.question_id: answer for answer in attempt.answers.all()}
    rows = []
    for question in quiz_questions(session.quiz):
        answer = answers.get(question.pk)
        if answer is None:  # a question added after this attempt
            continue
        options = question.options.all()
        rows.append(
            {
                "question": question,
                "answer": answer,
                "chosen": [option.text for option in options if option.pk in answer.chosen],
                "right": [option.text for option in options if option.is_correct],
            }
        )
    certificate = getattr(attempt, "certificate", None)
    return render(
        request,
        "quizzes/result.html",
        {
            "session": session,
            "quiz": session.quiz,
            "attempt": attempt,
            "rows": rows,
            "certificate": certificate,
            "refresh": certificate is not None and certificate.status == CertificateStatus.PENDING,
        },
    )


# Exempt from the CSRF check like the form itself: a forged post could only do what the
# button does, forget this phone's answers, which are recorded all the same.
@csrf_exempt
@require_POST
def next_student(request, code: str):
    """The "Next student" button of a shared phone: the phone forgets the answers it
    sent, so the result is no longer shown on it (Back and history included), and the
    quiz address gives an empty form again."""
    session = session_by_code(code)
    if session is None:
        return _unavailable(request, None, "unknown")
    response = redirect(session.path)
    # Emptied rather than deleted: Chromium may keep a page in its back-forward cache
    # despite `no-store`, and drops it when one of its HttpOnly cookies gets a new
    # value, not when one is deleted. So Back cannot show the result from memory.
    _set_sent_cookie(request, response, session, "")
    return response


@require_GET
def verify(request, code: str):
    client = get_client_ip_address(request) or "unknown"
    if wait := FAILED_VERIFICATIONS_PER_CLIENT.wait(client):
        return _verify_busy(request, wait)
    if not ratelimit.allows(FAILED_VERIFICATIONS_SITE_WIDE, "verify"):
        return _verify_busy(request, 10 * 60)
    certificate = certificate_by_code(code)
    if certificate is None:
        FAILED_VERIFICATIONS_PER_CLIENT.fail(client)
        ratelimit.hit(FAILED_VERIFICATIONS_SITE_WIDE, "verify")
        return render(request, "quizzes/verify.html", {"code": code}, status=404)
    attempt = certificate.attempt
    return render(
        request,
        "quizzes/verify.html",
        {
            "certificate": certificate,
            "attempt": attempt,
            "masked_name": mask_name(attempt.name),
            "quiz": attempt.session.quiz,
        },
    )


def _verify_busy(request, seconds: int) -> HttpResponse:
    context = {"verify": True, "wait_seconds": seconds, "wait_minutes": math.ceil(seconds / 60)}
    response = render(request, "quizzes/busy.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response


@require_GET
def certificate_download(request, key: str):
    certificate = certificate_by_download_key(key)
    if certificate is None:
        return _unavailable(request, None, "unknown")
    if certificate.attempt.name_erased_at:
        return render(request, "quizzes/certificate_erased.html", status=410)
    if certificate.status != CertificateStatus.READY or not certificate.file:
        return _unavailable(request, None, "unknown")
    response = FileResponse(
        certificate.file.open("rb"),
        content_type="application/pdf",
        filename=f"sertifikat-{certificate.code}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def mask_name(name: str) -> str:
    """'Rina Sari' -> 'R*** S***', 'Sukarno' -> 'S***', '王小明' -> '王***': each word by
    its first letter and three stars whatever its length, enough to match a printed
    certificate without giving a child's name away, in any script. A word that starts
    with anything but a letter (an emoji, a digit, an invisible character) shows only
    stars."""
    return " ".join(_masked_word(word) for word in unicodedata.normalize("NFC", name).split())


def _masked_word(word: str) -> str:
    first, rest = word[0], word[1:]
    if not unicodedata.category(first).startswith("L"):
        return "***"
    # Combining marks belong to the letter they follow (a Thai vowel sign, an accent
    # that has no precomposed form).
    marks = itertools.takewhile(lambda char: unicodedata.category(char).startswith("M"), rest)
    return first + "".join(marks) + "***"


# Staff: the QR code and poster. The student address is public anyway, but these are
# the facilitators' tools and a PDF costs CPU: they need a login and the permission.
def _staff_session(view):
    @login_required(login_url=STAFF_LOGIN)
    @permission_required("quizzes.view_quizsession", raise_exception=True)
    @require_GET
    def wrapped(request, code: str):
        session = session_by_code(code)
        if session is None:
            return _unavailable(request, None, "unknown")
        return view(request, session)

    wrapped.__name__ = view.__name__
    return wrapped


@_staff_session
def qr_svg(request, session):
    return HttpResponse(qr.svg(absolute_url(session.path)), content_type="image/svg+xml")


@_staff_session
def qr_png(request, session):
    return HttpResponse(qr.png(absolute_url(session.path)), content_type="image/png")


@_staff_session
def poster(request, session):
    pdf = render_to_pdf("quizzes/pdf/poster.html", {"poster": session_poster(session)})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="poster-{session.code}.pdf"'
    return response


def _form_page(request, session, form, status=200):
    context = {
        "session": session,
        "quiz": session.quiz,
        "form": form,
        "retention_months": settings.QUIZ_RETENTION_MONTHS,
    }
    response = render(request, "quizzes/take.html", context, status=status)
    response["Cache-Control"] = "no-store"
    if not _device_id(request):
        response.set_cookie(
            DEVICE_COOKIE,
            secrets.token_hex(16),
            max_age=DEVICE_COOKIE_AGE,
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
    return response


def _device_id(request) -> str:
    value = request.COOKIES.get(DEVICE_COOKIE, "")
    return value if DEVICE_ID.match(value) else ""


def _to_result(request, session, token: str):
    response = redirect(reverse("quizzes:result", args=[session.code, token]))
    _set_sent_cookie(request, response, session, sent_mark(session, token))
    return response


def _set_sent_cookie(request, response, session, value: str) -> None:
    response.set_cookie(
        SENT_COOKIE,
        value,
        max_age=SENT_COOKIE_AGE,
        path=session.path,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


def _shows_result(request, session, token: str) -> bool:
    """Whether this phone may see the result of the answers sent with `token`: while it
    keeps them as its sent answers for the session. Once "Next student" is pressed,
    Back and history lead to an empty form, nothing of the student before. A browser
    that keeps no cookies at all (it sends none) cannot be told apart from another, so
    it is shown the result its address names, as before this cookie existed."""
    if not request.COOKIES:
        return True
    return sent_read(session, request.COOKIES.get(SENT_COOKIE, "")) == token


def _unavailable(request, session, state: str):
    status = {"unknown": 404, SessionState.CLOSED: 410, "full": 410}.get(state, 403)
    return render(
        request, "quizzes/unavailable.html", {"session": session, "state": state}, status=status
    )


def _too_large(request, session):
    return render(request, "quizzes/too_large.html", {"session": session}, status=413)
