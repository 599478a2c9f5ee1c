import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.utils.translation import gettext as _


def absolute_url(path: str) -> str:
    """The public address of a path on this site (settings.WAGTAILADMIN_BASE_URL), for
    what leaves the browser: QR codes, PDFs, emails and calendar feeds."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def is_loopback(host: str) -> bool:
    """Whether a host name or address ("127.0.0.1", "[::1]", "localhost") names this
    machine only, so that no phone or other computer can open it."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class LoopbackBaseUrlWarningMiddleware:
    """Warns staff on every admin page when QR codes, posters, certificates and
    calendars point at this machine only (WAGTAILADMIN_BASE_URL on 127.0.0.1 or
    localhost) while the admin itself is opened at another address: phones scanning
    them in the classroom would open nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/") and request.user.is_authenticated:
            self._warn(request)
        return self.get_response(request)

    @staticmethod
    def _warn(request):
        base = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        here = urlsplit(f"//{request.get_host()}")
        if not is_loopback(base.hostname or "") or is_loopback(here.hostname or ""):
            return
        text = _(
            "QR codes, posters, certificates and calendars point at %(base)s, which phones "
            "and other computers cannot open. Set WAGTAILADMIN_BASE_URL to the address they "
            "can open, for example %(here)s (see the README)."
        ) % {"base": settings.WAGTAILADMIN_BASE_URL, "here": f"{request.scheme}://{here.netloc}"}
        # Once per page: a warning still waiting to be shown is not queued again.
        if Message(messages.WARNING, text) not in messages.get_messages(request):
            messages.warning(request, text)
