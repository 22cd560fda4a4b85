from datetime import UTC, date, datetime, timedelta, timezone

from kiosk.localday import day_bounds, local_date, local_time


def test_a_late_utc_evening_is_the_next_day_in_hong_kong() -> None:
    assert local_date(datetime(2026, 7, 1, 16, 0, tzinfo=UTC), 8) == date(2026, 7, 2)
    assert local_date(datetime(2026, 7, 1, 15, 59, 59, tzinfo=UTC), 8) == date(2026, 7, 1)


def test_any_zone_and_naive_utc_give_the_same_local_time() -> None:
    hk = timezone(timedelta(hours=8))
    moment = datetime(2026, 7, 1, 9, 30, tzinfo=hk)
    assert local_time(moment, 8) == datetime(2026, 7, 1, 9, 30)
    assert local_time(datetime(2026, 7, 1, 1, 30), 8) == datetime(2026, 7, 1, 9, 30)


def test_day_bounds_are_the_utc_instants_of_local_midnight() -> None:
    start, end = day_bounds(date(2026, 7, 2), 8)
    assert start == datetime(2026, 7, 1, 16, 0, tzinfo=UTC)
    assert end - start == timedelta(days=1)
    assert local_date(start, 8) == date(2026, 7, 2)
    assert local_date(end - timedelta(microseconds=1), 8) == date(2026, 7, 2)
    assert local_date(end, 8) == date(2026, 7, 3)
