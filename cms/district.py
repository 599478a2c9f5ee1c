"""The district profile at run time: who runs this instance and in which time zone.

Every time the platform shows, and every local day it counts in, is in the profile's
zone (`district_zone()`, `local()`, `local_today()`), whatever time zone the server or an admin user
is in. The profile is read once a minute per process at most: it is on every request's
path (the middleware below) and changes a few times in a deployment's life; a save in
this process is seen at once, in the other processes within that minute.
"""

import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.functional import lazy

CACHE_SECONDS = 60
_cached = None  # (monotonic time it expires, DistrictProfile)


def profile():
    """The default site's DistrictProfile, or an unsaved one with the defaults (a GET
    never writes, so it is not created here: staff create it by saving it in the admin).
    """
    # Imported here: models modules use this module's helpers while apps load.
    from cms.models import DistrictProfile

    global _cached
    cached = _cached
    if cached is not None and cached[0] > time.monotonic():
        return cached[1]
    found = DistrictProfile.objects.filter(site__is_default_site=True).first()
    found = found or DistrictProfile()
    _cached = (time.monotonic() + CACHE_SECONDS, found)
    return found


def forget(**_kwargs) -> None:
    """Read the profile again on next use (connected to its saves in CmsConfig.ready)."""
    global _cached
    _cached = None


def district_zone() -> ZoneInfo:
    return ZoneInfo(profile().time_zone)


def local(moment: datetime) -> datetime:
    """`moment` in the district's zone."""
    return timezone.localtime(moment, district_zone())


def local_today() -> date:
    return local(timezone.now()).date()


def context(request) -> dict:
    """Template context processor: `district_profile`, the profile, on every page."""
    return {"district_profile": profile()}


class DistrictTimeZoneMiddleware:
    """Every request runs in the district's zone, so that Django's `date` and `time`
    filters and form fields show and read times as the district lives them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with timezone.override(district_zone()):
            return self.get_response(request)


def with_zone(message: str) -> str:
    """`message` with its %(zone)s replaced by the zone's label (WIB, WITA or WIT)."""
    return message % {"zone": profile().zone_label}


# For labels defined with the class (form fields, table columns): filled when shown.
with_zone_lazy = lazy(with_zone, str)
