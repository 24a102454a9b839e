"""The pure rules: quiet hours across midnight and time zones, and the back-off."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bedside.notify.rules import quiet_until, retry_delay

ZONES = st.sampled_from(["UTC", "America/New_York", "Europe/Paris", "Asia/Kolkata"])
MINUTES = st.integers(min_value=0, max_value=24 * 60 - 1)


def at(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def in_quiet(start: time, end: time, wall: time) -> bool:
    if start < end:
        return start <= wall < end
    return wall >= start or wall < end


@given(
    now=st.datetimes(
        min_value=datetime(2024, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
    ),
    start=MINUTES,
    end=MINUTES,
    zone=ZONES,
)
def test_quiet_until_is_the_next_end_of_quiet_hours_or_none(now, start, end, zone):
    start_at, end_at = at(start), at(end)
    until = quiet_until(start_at, end_at, now=now, zone=zone)
    wall = now.astimezone(ZoneInfo(zone)).time().replace(tzinfo=None)
    if start == end or not in_quiet(start_at, end_at, wall):
        assert until is None
    else:
        assert until is not None and until > now
        assert until - now <= timedelta(hours=25)  # a DST day may be 25 hours long
        assert until.astimezone(ZoneInfo(zone)).time().replace(tzinfo=None) in {
            end_at,
            (datetime.combine(now.date(), end_at) + timedelta(hours=1)).time(),  # DST gap
        }


def test_overnight_quiet_hours_end_the_next_morning_in_the_practice_zone():
    late_evening = datetime(2026, 3, 2, 4, 30, tzinfo=UTC)  # 23:30 in New York
    until = quiet_until(time(22), time(7), now=late_evening, zone="America/New_York")
    assert until == datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # 07:00 the next day
    assert quiet_until(time(22), time(7), now=late_evening, zone="Asia/Kolkata") is None  # 10:00


def test_no_quiet_hours_without_both_ends():
    now = datetime(2026, 1, 1, 3, tzinfo=UTC)
    assert quiet_until(None, time(7), now=now, zone="UTC") is None
    assert quiet_until(time(7), time(7), now=now, zone="UTC") is None


def test_back_off_doubles_from_a_minute_up_to_an_hour():
    assert [retry_delay(n) for n in range(1, 9)] == [
        timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 60, 60)
    ]
