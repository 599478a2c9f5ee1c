"""The teacher's pages at /guru/<key>/: the session's results per question and per
student, and the class's certificates merged for printing. No login: the key in the
address is the secret (quizzes/teacher.py), so every answer here, refusals included,
is kept out of search engines, shared caches and other sites' Referer headers."""

import math
from functools import wraps

from axes.helpers import get_client_ip_address
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from limits import parse

from cms import ratelimit
from cms.forms import id_param
from quizzes.models import CertificateStatus
from quizzes.results import attempt_figures, question_figures
from quizzes.selectors import attempts_in, session_certificates
from quizzes.teacher import (
    BUNDLE_STUCK_AFTER,
    certificate_bundles,
    certificate_bundles_request,
    session_students,
    teacher_link_by_key,
)

# Wrong keys slow down per client address like wrong certificate codes (quizzes/views.py
# explains the figures), under their own site-wide cap. The key space (192 bits) is
# what makes guessing hopeless; these only keep a scanner from hammering the database.
FAILED_KEYS_PER_CLIENT = ratelimit.Backoff(
    name="teacher", window=parse("1000/10 minutes"), tiers=((20, 10), (40, 30))
)
FAILED_KEYS_SITE_WIDE = parse("2000/10 minutes")
PROGRESS_REFRESH_SECONDS = 3


def _private(view):
    """Never indexed, never kept by a shared cache, never sent on as a Referer."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response

    return wrapped


def _with_link(view):
    """Find the live link of the key in the address, or answer why not: a key that does
    not exist (404, counted as a failure of this client), a revoked or an expired link
    (410)."""

    @wraps(view)
    def wrapped(request, key: str):
        client = get_client_ip_address(request) or "unknown"
        if wait := FAILED_KEYS_PER_CLIENT.wait(client):
            return _refused(request, "busy", status=429, wait_seconds=wait)
        if not ratelimit.allows(FAILED_KEYS_SITE_WIDE, "teacher"):
            return _refused(request, "busy", status=429, wait_seconds=10 * 60)
        link = teacher_link_by_key(key)
        if link is None:
            FAILED_KEYS_PER_CLIENT.fail(client)
            ratelimit.hit(FAILED_KEYS_SITE_WIDE, "teacher")
            return _refused(request, "unknown", status=404)
        if link.revoked_at:
            return _refused(request, "revoked", status=410)
        if link.is_expired():
            return _refused(request, "expired", status=410)
        return view(request, link)

    return wrapped


def _refused(request, reason: str, *, status: int, wait_seconds: int = 0) -> HttpResponse:
    context = {"reason": reason, "wait_minutes": math.ceil(wait_seconds / 60)}
    response = render(request, "quizzes/teacher/refused.html", context, status=status)
    if wait_seconds:
        response["Retry-After"] = str(wait_seconds)
    return response


@_private
@require_GET
@_with_link
def teacher_page(request, link):
    session = link.session
    attempts = attempts_in(session=session)
    return render(
        request,
        "quizzes/teacher/page.html",
        {
            "link": link,
            "session": session,
            "figures": attempt_figures(attempts),
            "questions": question_figures(attempts),
            "students": session_students(session),
            "certificate_count": session_certificates(session).count(),
            "bundles": certificate_bundles(session),
        },
    )


# Exempt from the CSRF check: the teacher has no login or session to abuse, and a
# forged post could only start merging PDFs that whoever knows the key may ask for
# anyway. A CSRF cookie would also fail a school computer that keeps no cookies.
@_private
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@_with_link
def certificates_page(request, link):
    """POST asks for the class's certificates as PDFs (kept if still current); GET shows
    how far they are, reloading itself without JavaScript until they are ready."""
    session = link.session
    if request.method == "POST":
        certificate_bundles_request(session=session)
        return redirect(reverse("quizzes:teacher_certificates", args=[link.key]))
    bundles = certificate_bundles(session)
    pending = [bundle for bundle in bundles if bundle.status == CertificateStatus.PENDING]
    stuck_before = timezone.now() - BUNDLE_STUCK_AFTER
    stuck = any(bundle.created_at < stuck_before for bundle in pending)
    failed = any(bundle.status == CertificateStatus.FAILED for bundle in bundles)
    return render(
        request,
        "quizzes/teacher/certificates.html",
        {
            "link": link,
            "session": session,
            "bundles": bundles,
            "ready": bundles and not pending and not failed,
            "retry": stuck or failed,
            "refresh": PROGRESS_REFRESH_SECONDS if pending and not stuck else None,
        },
    )


@_private
@require_GET
@_with_link
def certificates_pdf(request, link):
    """One merged PDF, ?bagian=N for the Nth (the first by default); while it is not
    ready, the progress page."""
    part = id_param(request.GET.get("bagian", "1")) or 1
    bundle = next(
        (bundle for bundle in certificate_bundles(link.session) if bundle.part == part), None
    )
    if bundle is None or bundle.status != CertificateStatus.READY or not bundle.file:
        return redirect(reverse("quizzes:teacher_certificates", args=[link.key]))
    suffix = f"-{part}" if part > 1 else ""
    return FileResponse(
        bundle.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"sertifikat-{link.session.code}{suffix}.pdf",
    )
