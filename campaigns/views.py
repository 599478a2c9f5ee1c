"""Public views: the session request form. (The calendar feeds are in calendar/views.py.)"""

import time

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.shortcuts import redirect, render

from campaigns import services
from campaigns.models import Visit
from campaigns.request_form import VisitRequestForm

SESSION_KEY = "visit_request_reference"


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
