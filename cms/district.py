"""The district profile: who runs this instance and in which time zone, and reading it
at run time.

Every time the platform shows, and every local day it counts in, is in the profile's
zone (`district_zone()`, `local()`, `local_today()`), whatever time zone the server or an admin user
is in. The profile is read once a minute per process at most: it is on every request's
path (the middleware below) and changes a few times in a deployment's life; a save in
this process is seen at once, in the other processes within that minute.
"""

import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


class TimeZone(models.TextChoices):
    """Indonesia's three zones, by the tz database names that Django understands."""

    WIB = "Asia/Jakarta", _("WIB (UTC+7): Sumatra, Java, West and Central Kalimantan")
    WITA = "Asia/Makassar", _("WITA (UTC+8): Bali, Nusa Tenggara, the rest of Kalimantan, Sulawesi")
    WIT = "Asia/Jayapura", _("WIT (UTC+9): Maluku, Papua")


# The label shown after every time: a zone's abbreviation is the same in every language.
ZONE_LABELS = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}

# Province codes (the first two digits of a Kemendagri code) in each zone other than
# WIB, the default: a new district's zone follows from its code.
WITA_PROVINCES = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
WIT_PROVINCES = {"81", "82", "91", "92", "93", "94", "95", "96", "97"}

region_code_validator = RegexValidator(
    r"^\d{2}(\.\d{2})?$",
    _("Write the Kemendagri code of a province (64) or a regency or city (64.09)."),
)


def default_time_zone() -> str:
    """A new profile's zone: the server's TIME_ZONE setting when it is one of Indonesia's."""
    return settings.TIME_ZONE if settings.TIME_ZONE in TimeZone.values else TimeZone.WIB


def zone_of_region(code: str) -> str:
    """The time zone of the province that a Kemendagri code belongs to."""
    province = code[:2]
    if province in WITA_PROVINCES:
        return TimeZone.WITA
    if province in WIT_PROVINCES:
        return TimeZone.WIT
    return TimeZone.WIB


@register_setting(icon="site")
class DistrictProfile(BaseSiteSetting):
    """Who runs this instance and where: the office named on every page, PDF and email,
    and the time zone every time is entered and shown in. One instance serves one
    regency or city, or the regencies of one province (a provincial office), so one
    zone fits all of its districts. See cms/district.py."""

    office_name = models.CharField(
        _("office's full name"),
        max_length=200,
        default="Dinas Pemberdayaan Perempuan dan Perlindungan Anak",
        help_text=_("As it appears on letters, e.g. DP3A Kabupaten Contoh."),
    )
    office_short_name = models.CharField(
        _("office's short name"),
        max_length=60,
        default="DP3A",
        help_text=_("For page footers and short mentions, e.g. DP3A."),
    )
    region_name = models.CharField(
        _("regency, city or province"),
        max_length=100,
        blank=True,
        help_text=_("E.g. Kabupaten Contoh, or Provinsi Contoh for a provincial office."),
    )
    region_code = models.CharField(
        _("Kemendagri code"), max_length=5, blank=True, validators=[region_code_validator]
    )
    time_zone = models.CharField(
        _("time zone"), max_length=20, choices=TimeZone.choices, default=default_time_zone
    )

    panels = [
        FieldPanel("office_name"),
        FieldPanel("office_short_name"),
        FieldPanel("region_name"),
        FieldPanel("region_code"),
        FieldPanel("time_zone"),
        HelpPanel(
            content=_(
                "The hotlines are set under Settings, Help and hotlines; who signs the "
                "certificates under Settings, Certificates."
            )
        ),
    ]

    class Meta:
        verbose_name = _("district profile")

    def __str__(self):
        return self.office_name

    @property
    def zone_label(self) -> str:
        return ZONE_LABELS[self.time_zone]


CACHE_SECONDS = 60
_cached = None  # (monotonic time it expires, DistrictProfile)


def profile():
    """The default site's DistrictProfile, or an unsaved one with the defaults (a GET
    never writes, so it is not created here: staff create it by saving it in the admin).
    """
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
