"""Public views: the session request form. (The calendar feeds are in calendar/views.py.)"""

from django.conf import settings
from django.shortcuts import redirect, render
from limits import RateLimitItem, RateLimitItemPerHour

from campaigns import services
from campaigns.models import Visit
from campaigns.request_form import VisitRequestForm
from cms import ratelimit
from cms.client_ip import client_ip

SESSION_KEY = "visit_request_reference"


def _limits(request) -> list[tuple[RateLimitItem, tuple[str, ...]]]:
    """(limit, keys) of the requests sent in the last hour: per sender's IP address,
    generous because a whole school may share it, and for everyone, a ceiling against
    floods from many addresses. (The IP is found the same way as for the login
    lockout.)"""
    return [
        (
            RateLimitItemPerHour(settings.VISIT_REQUESTS_PER_IP_HOUR),
            ("visit-request", "ip", client_ip(request) or "unknown"),
        ),
        (RateLimitItemPerHour(settings.VISIT_REQUESTS_PER_HOUR), ("visit-request", "all")),
    ]


def _is_limited(request) -> bool:
    return not all(ratelimit.allows(limit, *keys) for limit, keys in _limits(request))


def _count(request) -> None:
    for limit, keys in _limits(request):
        ratelimit.hit(limit, *keys)


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
