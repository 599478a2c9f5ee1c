"""Rate limits as fixed-window counters in the shared cache (Redis in production), so
every web process counts together.

What is counted, and why never the IP alone: a whole school is behind one address.
- a quiz submission: per session and token (a stuck retry loop or a script replaying
  one form), and per session (a flood against one code, to protect the database);
- a certificate lookup that finds nothing: per client address, generously (a school),
  and across the whole site, which bounds guessing even from many addresses.
"""

import time

from django.core.cache import cache

# Tries with one form: a double tap and a few retries over a bad connection.
SUBMITS_PER_TOKEN = (20, 600)
# Submissions to one session: a school assembly of a thousand, all at once.
SUBMITS_PER_SESSION = (1200, 60)
# Failed verifications: per client address, and for everyone together.
FAILED_VERIFICATIONS_PER_CLIENT = (100, 600)
FAILED_VERIFICATIONS_SITE_WIDE = (2000, 600)


def hit(key: str, rule: tuple[int, int]) -> bool:
    """Count one event for `key`; True when that exceeds the rule's (limit, seconds)."""
    limit, window = rule
    bucket = f"rate:{key}:{int(time.time() // window)}"
    # Most keys are counted once (a token is posted once): try to create the counter
    # first, which is one round trip to the cache, and increment only when it exists.
    if cache.add(bucket, 1, timeout=window + 5):
        return limit < 1
    try:
        return cache.incr(bucket) > limit
    except ValueError:  # expired in between
        cache.set(bucket, 1, timeout=window + 5)
        return limit < 1


def exceeded(key: str, rule: tuple[int, int]) -> bool:
    """Whether `key` is already over the rule, without counting anything."""
    limit, window = rule
    return (cache.get(f"rate:{key}:{int(time.time() // window)}") or 0) >= limit
