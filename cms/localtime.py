"""Dates in the district's time zone (the district profile's, cms/district.py).

Every period the platform counts in (a day of visits, a month of the trend, this year
on the dashboard) is a span of local calendar days; these turn such spans into aware
datetimes for queries, and walk them month by month.
"""

import calendar
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from cms.district import district_zone, local_today


def day_bounds(starts_on: date, ends_on: date) -> tuple[datetime, datetime]:
    """The first and last instant of the local days [starts_on, ends_on], for
    `__range` lookups."""
    zone = district_zone()
    return (
        datetime.combine(starts_on, time.min, tzinfo=zone),
        datetime.combine(ends_on, time.max, tzinfo=zone),
    )


def day_start(day: date) -> datetime:
    """Local midnight at the start of `day`, for half-open [start, end) ranges."""
    return datetime.combine(day, time.min, tzinfo=district_zone())


def local_date(moment: datetime | None) -> date | None:
    """The local calendar day of an aware datetime."""
    if moment is None:
        return None
    return moment.astimezone(district_zone()).date()


def this_year() -> tuple[date, date]:
    """1 January to 31 December of the current local year: the default period."""
    year = local_today().year
    return date(year, 1, 1), date(year, 12, 31)


def this_week() -> tuple[date, date]:
    """Monday to Sunday of the current local week."""
    day = local_today()
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def next_month(day: date) -> date:
    """The first day of the month after `day`'s."""
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def month_spans(first: date, last: date) -> Iterator[tuple[date, date]]:
    """[first, last] cut at month ends: (first day, last day) of each piece."""
    start = first
    while start <= last:
        following = next_month(start)
        yield start, min(following - timedelta(days=1), last)
        start = following


def month_starts(first: date, last: date) -> list[date]:
    """The first day of every month that [first, last] touches."""
    return [start.replace(day=1) for start, _end in month_spans(first, last)]


def months_before(moment: datetime, months: int) -> datetime:
    """`moment` minus `months` calendar months, on the same day or the month's last."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def months_after(moment: datetime, months: int) -> datetime:
    """`moment` plus `months` calendar months, on the same day or the month's last."""
    return months_before(moment, -months)
