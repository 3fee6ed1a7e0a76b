"""Django's PostgreSQL backend, with a bound on how long a web request waits for it.

A server that is down refuses the connection at once, and one that does not answer a new
connection is given up after `connect_timeout` (libpq). A server that freezes while a
persistent connection is open is another matter: the kernel still acknowledges every
packet, so neither TCP timeouts nor the server's statement_timeout ever fire, and the
request would wait for ever. Here, while a request is being served, each query (and the
health check before a connection is reused) has DATABASE_QUERY_TIMEOUT seconds; past
that, one watchdog thread per process shuts the connection's socket down, which wakes
the waiting query with an OperationalError: the request answers 503
(ecosystem.site.views.server_error) and the next one opens a fresh connection. The
health check of a reused connection ("SELECT 1", instant on a live server) gets
DATABASE_CONNECT_TIMEOUT, like a new connection; once the server was found down or
frozen, the same request does not wait for it again. The fetches of a server-side
cursor (an export's rows, a batch at a time) are bounded like queries. Management commands
(migrations, imports) are not bounded.
"""

import os
import socket
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db.backends.postgresql import base

serving = threading.local()


def request_starts(**kwargs):
    serving.request = True
    serving.unreachable = False


def request_ends(**kwargs):
    serving.request = False


request_started.connect(request_starts, dispatch_uid="bounded-database-waits")
request_finished.connect(request_ends, dispatch_uid="bounded-database-waits")


class Watchdog:
    TICK = 0.1

    def __init__(self):
        self.deadlines = {}
        self.lock = threading.Lock()
        self.thread = None

    @contextmanager
    def limit(self, fileno: int, seconds: float):
        key = object()
        with self.lock:
            self.deadlines[key] = (time.monotonic() + seconds, fileno)
            if self.thread is None or not self.thread.is_alive():
                # Started lazily: a forked gunicorn worker starts its own.
                self.thread = threading.Thread(target=self.run, name="db-watchdog", daemon=True)
                self.thread.start()
        try:
            yield
        finally:
            with self.lock:
                self.deadlines.pop(key, None)

    def run(self):
        while True:
            time.sleep(self.TICK)
            now = time.monotonic()
            # Under the lock: the query cannot finish and its socket be closed (and its
            # number reused) between the check and the shutdown.
            with self.lock:
                for key, (deadline, fileno) in list(self.deadlines.items()):
                    if deadline <= now:
                        del self.deadlines[key]
                        cut(fileno)


def cut(fileno: int):
    try:
        with socket.socket(fileno=os.dup(fileno)) as sock:
            sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


watchdog = Watchdog()


class BoundedFetches:
    """A server-side cursor (QuerySet.iterator(): the CSV exports) whose fetches are
    bounded as queries are: each fetch is a round trip to the server ("FETCH FORWARD"),
    which execute_wrappers never see. Past the bound the fetch fails, and so does the
    export streaming it: the server then cuts the connection instead of ending the body
    cleanly (ecosystem/core/exports.py)."""

    def __init__(self, cursor, database):
        self.cursor = cursor
        self.database = database

    def __getattr__(self, name):
        return getattr(self.cursor, name)

    def __iter__(self):
        while rows := self.fetchmany(self.cursor.itersize):
            yield from rows

    def fetchone(self):
        with self.database.bounded(settings.DATABASE_QUERY_TIMEOUT):
            return self.cursor.fetchone()

    def fetchmany(self, size=0):
        with self.database.bounded(settings.DATABASE_QUERY_TIMEOUT):
            return self.cursor.fetchmany(size)

    def fetchall(self):
        with self.database.bounded(settings.DATABASE_QUERY_TIMEOUT):
            return self.cursor.fetchall()


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(self.bounded_execute)

    @contextmanager
    def bounded(self, seconds):
        if not getattr(serving, "request", False) or self.connection is None:
            yield
            return
        try:
            fileno = self.connection.pgconn.socket
        except Exception:  # closed
            yield
            return
        with watchdog.limit(fileno, seconds):
            yield

    def create_cursor(self, name=None):
        cursor = super().create_cursor(name)
        return BoundedFetches(cursor, self) if name else cursor

    def bounded_execute(self, execute, sql, params, many, context):
        with self.bounded(settings.DATABASE_QUERY_TIMEOUT):
            return execute(sql, params, many, context)

    def is_usable(self):
        with self.bounded(settings.DATABASE_CONNECT_TIMEOUT):
            started = time.monotonic()
            usable = super().is_usable()
        if not usable and time.monotonic() - started >= settings.DATABASE_CONNECT_TIMEOUT:
            serving.unreachable = getattr(serving, "request", False)
        return usable

    def get_new_connection(self, conn_params):
        # One wait per request: once the server was found frozen or down, the request's
        # other queries (middleware, the view) fail at once instead of waiting again.
        if getattr(serving, "unreachable", False):
            raise base.Database.OperationalError("the database did not answer this request")
        try:
            return super().get_new_connection(conn_params)
        except base.Database.OperationalError:
            serving.unreachable = getattr(serving, "request", False)
            raise
