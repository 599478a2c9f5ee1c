"""Public views: the session request form and the calendar feeds."""

import re
import time

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from campaigns import ics, selectors, services
from campaigns.forms import VisitRequestForm
from campaigns.models import Visit

SESSION_KEY = "visit_request_reference"
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,100}$")


def _rate_keys(request) -> dict[str, int]:
    """Cache counters for this hour: one for the sender's IP address, generous because a
    whole school may share it, and one for everyone, a ceiling against floods from
    many addresses. (The IP is found the same way as for the login lockout.)"""
    hour = int(time.time() // 3600)
    ip = get_client_ip_address(request) or "unknown"
    return {
        f"visit-request:ip:{ip}:{hour}": settings.VISIT_REQUESTS_PER_IP_HOUR,
        f"visit-request:all:{hour}": settings.VISIT_REQUESTS_PER_HOUR,
    }


def _is_limited(request) -> bool:
    return any((cache.get(key) or 0) >= limit for key, limit in _rate_keys(request).items())


def _count(request) -> None:
    for key in _rate_keys(request):
        cache.add(key, 0, timeout=3600 + 60)
        cache.incr(key)


def visit_request(request):
    """/sosialisasi/ajukan/: a school or village asks for a session."""
    limited = False
    if request.method == "POST":
        form = VisitRequestForm(request.POST)
        limited = _is_limited(request)
        if not limited and form.is_spam:
            _count(request)
            return redirect("visit_request_sent")
        if not limited and form.is_valid():
            visit = services.visit_request(**form.request_fields())
            _count(request)
            request.session[SESSION_KEY] = visit.reference
            return redirect("visit_request_sent")
    else:
        form = VisitRequestForm(initial={"target": request.GET.get("untuk", "sekolah")})
    return render(
        request,
        "campaigns/visit_request.html",
        {"form": form, "limited": limited},
        status=429 if limited else 200,
    )


def visit_request_sent(request):
    reference = request.session.get(SESSION_KEY)
    visit = (
        Visit.objects.select_related("school", "village").filter(reference=reference).first()
        if reference
        else None
    )
    return render(request, "campaigns/visit_request_sent.html", {"visit": visit})


@require_GET
def calendar_feed(request, token: str):
    """/kalender/<token>.ics. An unknown or revoked token, or the feed of someone who
    is no longer staff, is a 404: nothing tells whether the address ever existed."""
    feed = selectors.feed_for_token(token) if TOKEN_RE.match(token) else None
    if feed is None:
        raise Http404
    if feed.user_id and not (feed.user.is_active and feed.user.has_perm("campaigns.view_visit")):
        raise Http404
    response = HttpResponse(ics.feed_ics(feed), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="sekolah-aman.ics"'
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response
