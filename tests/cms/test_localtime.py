import datetime as dt
from zoneinfo import ZoneInfo

from cms import localtime

WITA = ZoneInfo("Asia/Makassar")


def test_day_bounds_cover_whole_local_days(db):
    start, end = localtime.day_bounds(dt.date(2026, 3, 1), dt.date(2026, 3, 2))
    assert start == dt.datetime(2026, 3, 1, tzinfo=WITA)
    assert end == dt.datetime(2026, 3, 2, 23, 59, 59, 999999, tzinfo=WITA)
    # 23:30 UTC on 1 March is already 2 March in WITA (UTC+8): inside
    assert start <= dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC) <= end
    # 16:30 UTC on 28 February is 00:30 on 1 March WITA: inside; 15:30 UTC is not
    assert start <= dt.datetime(2026, 2, 28, 16, 30, tzinfo=dt.UTC)
    assert dt.datetime(2026, 2, 28, 15, 30, tzinfo=dt.UTC) < start


def test_local_date_is_the_wita_day(db):
    assert localtime.local_date(dt.datetime(2026, 12, 31, 17, tzinfo=dt.UTC)) == dt.date(2027, 1, 1)
    assert localtime.local_date(None) is None


def test_this_year_follows_the_local_new_year(db, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 31, 16, 30, tzinfo=dt.UTC), tick=False)
    assert localtime.this_year() == (dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    time_machine.move_to(dt.datetime(2026, 12, 31, 15, 30, tzinfo=dt.UTC), tick=False)
    assert localtime.this_year() == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def test_this_week_runs_monday_to_sunday_in_wita(db, time_machine):
    # Sunday 10 May 2026, 16:30 UTC: already Monday 11 May in WITA.
    time_machine.move_to(dt.datetime(2026, 5, 10, 16, 30, tzinfo=dt.UTC), tick=False)
    assert localtime.this_week() == (dt.date(2026, 5, 11), dt.date(2026, 5, 17))
    time_machine.move_to(dt.datetime(2026, 5, 10, 15, 30, tzinfo=dt.UTC), tick=False)
    assert localtime.this_week() == (dt.date(2026, 5, 4), dt.date(2026, 5, 10))


def test_the_local_day_is_the_district_profiles(set_district_profile):
    moment = dt.datetime(2026, 12, 31, 15, 30, tzinfo=dt.UTC)  # 23.30 WITA, 00.30 WIT
    assert localtime.local_date(moment) == dt.date(2026, 12, 31)
    set_district_profile(time_zone="Asia/Jayapura")
    assert localtime.local_date(moment) == dt.date(2027, 1, 1)
    start, _end = localtime.day_bounds(dt.date(2027, 1, 1), dt.date(2027, 1, 1))
    assert start == dt.datetime(2026, 12, 31, 15, tzinfo=dt.UTC)


def test_month_walks_cut_a_span_at_month_ends():
    spans = list(localtime.month_spans(dt.date(2026, 1, 30), dt.date(2026, 3, 2)))
    assert spans == [
        (dt.date(2026, 1, 30), dt.date(2026, 1, 31)),
        (dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 2)),
    ]
    assert localtime.month_starts(dt.date(2025, 12, 31), dt.date(2026, 1, 1)) == [
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 1),
    ]
    assert localtime.next_month(dt.date(2026, 12, 31)) == dt.date(2027, 1, 1)
    assert list(localtime.month_spans(dt.date(2026, 2, 1), dt.date(2026, 1, 1))) == []


def test_months_before_counts_calendar_months():
    now = dt.datetime(2027, 3, 31, 8, 0, tzinfo=WITA)
    assert localtime.months_before(now, 12) == dt.datetime(2026, 3, 31, 8, 0, tzinfo=WITA)
    assert localtime.months_before(now, 1) == dt.datetime(2027, 2, 28, 8, 0, tzinfo=WITA)
    assert localtime.months_before(now, 24) == dt.datetime(2025, 3, 31, 8, 0, tzinfo=WITA)
