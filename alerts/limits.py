"""Limits against abuse of the follow form, counted in the cache for an hour: how many
confirmation mails one address gets, how many requests one client sends. The cache is
optional: when it fails, the limits let the request through (and say so in the log),
so a Redis outage never stops a visitor."""

import hashlib
import logging

from django.core.cache import cache

logger = logging.getLogger("alerts")

HOUR = 3600
# Confirmation mails to one address in an hour: a form filled with someone else's
# address sends them at most this many.
PER_ADDRESS = 3
# Follow requests from one client address in an hour.
PER_CLIENT = 10


def within(kind, value, limit):
    """Count one more `kind` for `value` (an address, hashed: the cache never holds it)
    and say whether it is still within `limit` this hour."""
    key = f"alerts:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"
    try:
        cache.add(key, 0, HOUR)
        return cache.incr(key) <= limit
    except ValueError:
        # Expired between the two calls, or the cache is unavailable (FailOpenRedisCache).
        cache.set(key, 1, HOUR)
        return True
    except Exception as error:  # any other backend's failure: let the visitor through
        logger.warning("alert limits not counted: %s: %s", type(error).__name__, error)
        return True
