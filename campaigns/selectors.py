from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from campaigns.models import Visit, VisitStatus


def local_day_bounds(starts_on: date, ends_on: date) -> tuple[datetime, datetime]:
    """[start of starts_on, end of ends_on) in WITA, as aware datetimes."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(starts_on, time.min, tzinfo=zone)
    end = datetime.combine(ends_on, time.max, tzinfo=zone)
    return start, end


def visits_done(*, starts_on: date, ends_on: date, campaign=None) -> QuerySet[Visit]:
    """Visits that took place (status done) with a start inside the period, in WITA days.
    This is what counts as reach."""
    start, end = local_day_bounds(starts_on, ends_on)
    visits = Visit.objects.filter(status=VisitStatus.DONE, starts_at__range=(start, end))
    if campaign is not None:
        visits = visits.filter(campaign=campaign)
    return visits


def visits_for(*, school=None, village=None) -> QuerySet[Visit]:
    """Every visit to one school or one village, newest first, for its registry page."""
    visits = Visit.objects.select_related("campaign")
    if school is not None:
        visits = visits.filter(school=school)
    if village is not None:
        visits = visits.filter(village=village)
    return visits.order_by("-starts_at")
