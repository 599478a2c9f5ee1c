from django import template
from django.utils import formats

from campaigns.models import wita as to_wita

register = template.Library()


@register.filter
def wita(moment, format_string="DATETIME_FORMAT"):
    """A datetime in WITA, formatted: `{{ visit.starts_at|wita:"j M Y H:i" }}`. Django's
    `date` filter would convert to the admin user's own time zone first."""
    if not moment:
        return ""
    return formats.date_format(to_wita(moment), format_string)
