"""Reads from a PostgreSQL replica, when one is configured (DATABASE_REPLICA_URL).

A visitor's GET or HEAD request reads from the `replica` alias; everything else reads
and writes on `default` (the primary):

- any other method (a form sent, a login), since what it reads it may be about to change;
- a request that has written, from its first write on, so that it reads what it wrote;
- a request that carries a session cookie (staff): a replica lags the primary by a
  moment, and a staff member who has just saved or logged in must see the change and
  stay logged in on the next page; visitors have no session;
- a transaction on the primary, where reads must see its own uncommitted rows;
- anything outside a request (commands, the shell, migrations, the seed).

Migrations run on the primary only; the replica receives them by replication.

django-multidb-router was not used: it sends every read outside a request (management
commands, the seed, imports) to a replica, and a GET that writes keeps reading from it.
"""

from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.core.signals import request_finished
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
READ_ONLY_METHODS = frozenset({"GET", "HEAD"})

# Whether the request being served may read from the replica. Each gunicorn thread
# serves one request at a time; the value is set when a request starts and cleared when
# its answer is closed (after the last row of a streamed export).
replica_allowed = ContextVar("replica_allowed", default=False)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if replica_allowed.get() and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        replica_allowed.set(False)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # One database and its copy: a record read from either may point to the other.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def _request_finished(**kwargs):
    replica_allowed.set(False)


def replica_reads(get_response):
    """Says which requests may read from the replica (see the module's docstring)."""
    if REPLICA not in settings.DATABASES:
        raise MiddlewareNotUsed
    request_finished.connect(_request_finished, dispatch_uid="replica-reads-finished")

    def middleware(request):
        replica_allowed.set(
            request.method in READ_ONLY_METHODS
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )
        return get_response(request)

    return middleware
