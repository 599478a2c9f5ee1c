"""Rate limits counted together by every web process, with the `limits` library.

A moving window: each event is timestamped and a limit counts the events of the last
N seconds, whenever the request comes. (A fixed wall-clock window would let twice the
limit through across a boundary.) The counters live in settings.RATELIMIT_STORAGE_URL:
Redis in production, so all processes share them; memory in development.

A limit protects the service, it is not worth a child's answers: when the storage
cannot be reached, every request is let through and the failure is logged.

Callers choose what to count; never the IP alone, since a whole school is behind one
address.
"""

import functools
import logging
import math
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from limits import RateLimitItem, RateLimitItemPerSecond
from limits.errors import StorageError
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

logger = logging.getLogger(__name__)


def limiter() -> MovingWindowRateLimiter:
    return _limiter_for(settings.RATELIMIT_STORAGE_URL)


# `limits` imports its storage's client library on first use; two threads doing that at
# once (a class's first answers reaching a fresh gthread worker) made one of them fail
# its version check with "found version 0.0.0". One thread builds the limiter.
_limiter_lock = threading.Lock()


@functools.cache
def _limiter_for(url: str) -> MovingWindowRateLimiter:
    with _limiter_lock:
        options = settings.REDIS_SOCKET_OPTIONS if url.startswith(("redis", "rediss")) else {}
        return MovingWindowRateLimiter(storage_from_string(url, wrap_exceptions=True, **options))


def _unreachable(what) -> None:
    logger.warning("Rate limit storage unreachable; %s not limited", what, exc_info=True)


def hit(item: RateLimitItem, *keys: str) -> bool:
    """Count one event for `keys`; False when the limit was already reached (the event
    is then not counted)."""
    try:
        return limiter().hit(item, *keys)
    except StorageError:
        _unreachable(item)
        return True


def allows(item: RateLimitItem, *keys: str) -> bool:
    """Whether one more event for `keys` would be within the limit, counting nothing."""
    try:
        return limiter().test(item, *keys)
    except StorageError:
        _unreachable(item)
        return True


@dataclass(frozen=True)
class Backoff:
    """Failures that slow down instead of blocking. Each tier is (failures within
    `window`, seconds): once that many failures were counted, a further try waits until
    that many seconds have passed since the last failure. A wait never lasts longer
    than the largest spacing (to the whole second), and the failures a key can make in
    a window stay bounded."""

    name: str
    window: RateLimitItem  # counts the failures; its amount only caps what is stored
    tiers: tuple[tuple[int, int], ...]  # (failures within the window, seconds to wait)

    def wait(self, *keys: str) -> int:
        """Seconds until `keys` may try again; 0 when they may now."""
        try:
            stats = limiter().get_window_stats(self.window, self.name, *keys)
            failures = self.window.amount - stats.remaining
            reached = [seconds for count, seconds in self.tiers if failures >= count]
            if not reached:
                return 0
            spacing = _spacing(reached[-1])
            stats = limiter().get_window_stats(spacing, self.name, *keys)
        except StorageError:
            _unreachable(self.name)
            return 0
        if stats.remaining:
            return 0
        # The first whole second by which the wait is surely over (Redis rounds the
        # stamps it returns, and counts a failure until the window's very end).
        return max(0, math.floor(stats.reset_time - time.time()) + 1)

    def fail(self, *keys: str) -> None:
        """Count one failure of `keys`, and stamp it as the last."""
        hit(self.window, self.name, *keys)
        try:
            for _count, seconds in self.tiers:
                limiter().clear(_spacing(seconds), self.name, *keys)
                limiter().hit(_spacing(seconds), self.name, *keys)
        except StorageError:
            _unreachable(self.name)


def _spacing(seconds: int) -> RateLimitItem:
    return RateLimitItemPerSecond(1, seconds)
