"""Django's Redis cache, failing open: the cache is a help, never a need.

A Redis that is down, frozen or refusing work (out of memory, a read-only replica) must
not take the site down: every call that fails is answered as a cache that holds nothing
would answer it (a miss, nothing stored, a counter that does not exist), the error is
logged, and the process stops asking Redis for RETRY_AFTER seconds; then one call tries
again. The site meanwhile serves everything from the database, as on a cold cache. With
the short socket timeouts of the settings (CACHE_TIMEOUT), a frozen Redis costs a
request at most that long, once per process and RETRY_AFTER seconds.

Who notices: the pages and the API say nothing different; `/healthz` reports the cache
as degraded; the log has one line when the cache fails and one when it is back. The
suggestion form's rate limit (a counter in the cache) lets suggestions through while the
cache is down: the form's honeypot and validation still apply.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Errors that say the cache cannot be used now (redis wraps socket errors in its own).
FAILURES = (RedisError, OSError)


class Health:
    """Whether a Redis server is worth asking, for every thread of the process (Django
    gives each thread its own cache object, so this lives beside them)."""

    def __init__(self, location, retry_after):
        self.location = location
        self.retry_after = retry_after
        self.lock = threading.Lock()
        self.failing = False
        self.retry_at = 0.0

    def worth_asking(self):
        """True while the cache works, and once every `retry_after` seconds while it fails
        (that call tries it again; the others go on without it)."""
        if not self.failing:
            return True
        with self.lock:
            now = time.monotonic()
            if now < self.retry_at:
                return False
            self.retry_at = now + self.retry_after
            return True

    def failed(self, error):
        with self.lock:
            self.retry_at = time.monotonic() + self.retry_after
            if self.failing:
                return
            self.failing = True
        logger.error(
            "cache %s unavailable (%s: %s): the site serves without it, trying again every %g s",
            self.location,
            type(error).__name__,
            error,
            self.retry_after,
        )

    def succeeded(self):
        if not self.failing:
            return
        with self.lock:
            was_failing, self.failing = self.failing, False
        if was_failing:
            logger.warning("cache %s available again", self.location)


# One per server address, for the whole process.
health_of = {}
health_lock = threading.Lock()


class FailOpenRedisCache(RedisCache):
    """RedisCache whose calls never raise a Redis error. OPTIONS take `retry_after`
    (seconds) besides redis-py's own options."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        retry_after = options.pop("retry_after", 10)
        super().__init__(server, {**params, "OPTIONS": options})
        location = server if isinstance(server, str) else ",".join(server)
        with health_lock:
            self.health = health_of.setdefault(location, Health(location, retry_after))

    def guarded(self, call, fallback, *args):
        if not self.health.worth_asking():
            return fallback
        try:
            result = call(*args)
        except FAILURES as error:
            self.health.failed(error)
            return fallback
        self.health.succeeded()
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self.guarded(super().add, False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self.guarded(super().get, default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self.guarded(super().set, None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self.guarded(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self.guarded(super().delete, False, key, version)

    def get_many(self, keys, version=None):
        return self.guarded(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self.guarded(super().has_key, False, key, version)

    def incr(self, key, delta=1, version=None):
        # As for a counter that does not exist (decr() comes here too).
        missing = object()
        value = self.guarded(super().incr, missing, key, delta, version)
        if value is missing:
            raise ValueError(f"Key '{key}' not found (the cache is unavailable)")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # The keys that were not stored.
        return self.guarded(super().set_many, list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        self.guarded(super().delete_many, None, keys, version)

    def clear(self):
        return self.guarded(super().clear, False)
