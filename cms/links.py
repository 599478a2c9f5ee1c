from django.conf import settings


def absolute_url(path: str) -> str:
    """The public address of a path on this site (settings.WAGTAILADMIN_BASE_URL), for
    what leaves the browser: QR codes, PDFs, emails and calendar feeds."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
