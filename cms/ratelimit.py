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

from django.conf import settings
from limits import RateLimitItem
from limits.errors import StorageError
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

logger = logging.getLogger(__name__)


def limiter() -> MovingWindowRateLimiter:
    return _limiter_for(settings.RATELIMIT_STORAGE_URL)


@functools.cache
def _limiter_for(url: str) -> MovingWindowRateLimiter:
    options = settings.REDIS_SOCKET_OPTIONS if url.startswith(("redis", "rediss")) else {}
    return MovingWindowRateLimiter(storage_from_string(url, wrap_exceptions=True, **options))


def hit(item: RateLimitItem, *keys: str) -> bool:
    """Count one event for `keys`; False when the limit was already reached (the event
    is then not counted)."""
    try:
        return limiter().hit(item, *keys)
    except StorageError:
        logger.warning("Rate limit storage unreachable; %s not limited", item, exc_info=True)
        return True


def allows(item: RateLimitItem, *keys: str) -> bool:
    """Whether one more event for `keys` would be within the limit, counting nothing."""
    try:
        return limiter().test(item, *keys)
    except StorageError:
        logger.warning("Rate limit storage unreachable; %s not limited", item, exc_info=True)
        return True
