from django import template
from django.utils import formats

from campaigns.selectors import public_counter
from cms.district import local as to_local

register = template.Library()


@register.filter
def local(moment, format_string="DATETIME_FORMAT"):
    """A datetime in the district's zone, formatted: `{{ visit.starts_at|local:"j M Y H:i"
    }}`. Django's `date` filter would convert to the admin user's own time zone first."""
    if not moment:
        return ""
    return formats.date_format(to_local(moment), format_string)


@register.filter
def number(value, decimals=0):
    """A figure as people read it here: 1234567 -> "1.234.567", 62.34 with
    `number:1` -> "62,3"; an empty figure (nothing to count) -> "–"."""
    if value is None:
        return "–"
    # Rounded here: Django's number_format cuts decimals off. "+ 0" turns -0.0 into 0.0.
    value = round(value, int(decimals)) + 0
    return formats.number_format(
        value, decimal_pos=int(decimals), use_l10n=True, force_grouping=True
    )


@register.filter
def percent(value):
    """A share in percent, whole: 43.04 -> "43%"; "–" when there is nothing to divide."""
    if value is None:
        return "–"
    return f"{number(round(value))}%"


@register.filter
def signed(value, decimals=1):
    """A change with its sign: 14.66 -> "+14,7"; "–" when there is none."""
    if value is None:
        return "–"
    text = number(value, decimals)
    return text if text.startswith("-") else f"+{text}"


@register.inclusion_tag("campaigns/reach_counter.html")
def reach_counter():
    """The home page's "reached this year", once there is something to show."""
    return public_counter()
