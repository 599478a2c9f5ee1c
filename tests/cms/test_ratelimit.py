import datetime as dt
import logging

import pytest
import redis
from limits import RateLimitItemPerMinute
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from cms import ratelimit
from tests.conftest import require_in_ci

FIVE_A_MINUTE = RateLimitItemPerMinute(5)


@pytest.fixture(autouse=True)
def _fresh_counters(settings):
    settings.RATELIMIT_STORAGE_URL = "memory://"
    ratelimit.limiter().storage.reset()


def test_the_limit_counts_per_key(time_machine):
    time_machine.move_to(dt.datetime(2026, 5, 1, 8, tzinfo=dt.UTC), tick=False)
    assert all(ratelimit.hit(FIVE_A_MINUTE, "session", "A") for _ in range(5))
    assert not ratelimit.hit(FIVE_A_MINUTE, "session", "A")
    assert not ratelimit.allows(FIVE_A_MINUTE, "session", "A")
    assert ratelimit.allows(FIVE_A_MINUTE, "session", "B")
    assert ratelimit.hit(FIVE_A_MINUTE, "session", "B")


def test_allows_counts_nothing(time_machine):
    time_machine.move_to(dt.datetime(2026, 5, 1, 8, tzinfo=dt.UTC), tick=False)
    for _ in range(10):
        assert ratelimit.allows(FIVE_A_MINUTE, "k")
    assert all(ratelimit.hit(FIVE_A_MINUTE, "k") for _ in range(5))


def test_a_wall_clock_minute_boundary_does_not_double_the_limit(time_machine):
    """Five hits at 08:00:50 and five more at 08:01:10: a fixed window per clock minute
    would let all ten through; the moving window lets five through in any 60 s."""
    time_machine.move_to(dt.datetime(2026, 5, 1, 8, 0, 50, tzinfo=dt.UTC), tick=False)
    assert all(ratelimit.hit(FIVE_A_MINUTE, "k") for _ in range(5))
    time_machine.move_to(dt.datetime(2026, 5, 1, 8, 1, 10, tzinfo=dt.UTC), tick=False)
    assert [ratelimit.hit(FIVE_A_MINUTE, "k") for _ in range(5)] == [False] * 5
    time_machine.move_to(dt.datetime(2026, 5, 1, 8, 1, 51, tzinfo=dt.UTC), tick=False)
    assert ratelimit.hit(FIVE_A_MINUTE, "k")


def test_unreachable_storage_lets_requests_through_and_logs(settings, caplog):
    # Nothing listens on port 1: every call to the storage fails at once.
    settings.RATELIMIT_STORAGE_URL = "redis://127.0.0.1:1/0"
    with caplog.at_level(logging.WARNING, logger="cms.ratelimit"):
        assert all(ratelimit.hit(FIVE_A_MINUTE, "k") for _ in range(10))
        assert ratelimit.allows(FIVE_A_MINUTE, "k")
    assert "unreachable" in caplog.text


def test_processes_sharing_redis_count_together(settings, time_machine):
    """Two web processes: two limiters on the same Redis see each other's hits."""
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url).ping()
    except redis.RedisError:
        require_in_ci("Redis is not running on 127.0.0.1:6379")
    settings.RATELIMIT_STORAGE_URL = url
    ratelimit.limiter().storage.reset()
    other_process = MovingWindowRateLimiter(storage_from_string(url))
    time_machine.move_to(dt.datetime(2026, 5, 1, 8, tzinfo=dt.UTC), tick=False)
    assert all(other_process.hit(FIVE_A_MINUTE, "k") for _ in range(3))
    assert [ratelimit.hit(FIVE_A_MINUTE, "k") for _ in range(3)] == [True, True, False]
    ratelimit.limiter().storage.reset()
