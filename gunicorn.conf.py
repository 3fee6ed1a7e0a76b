"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py`.

Every value can be overridden from the environment (GUNICORN_CMD_ARGS or the names below).
"""

import multiprocessing
import os

from gunicorn.workers.sync import SyncWorker

wsgi_app = "ecosystem.project.wsgi:application"
# Loopback: the proxy in front (nginx, a load balancer's agent) is the only client. Bind a
# public address on purpose (BIND=0.0.0.0:8000) and list the proxies in TRUSTED_PROXIES.
bind = os.environ.get("BIND", "127.0.0.1:" + os.environ.get("PORT", "8000"))
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Sync workers, one request each, so that `timeout` bounds every request: a sync worker
# only reports itself alive between requests, and one silent for REQUEST_TIMEOUT seconds
# is stopped by the arbiter, whatever its request is stuck in. A threaded worker reports
# itself alive from another thread, so its `timeout` never fires for a stuck request.
# The cost is one request at a time per process: the site is bound by Python's processor
# time (one core per request under the GIL), the proxy buffers slow clients, and
# WEB_CONCURRENCY sets how many requests run at once.
worker_class = "sync"
threads = 1
timeout = int(os.environ.get("REQUEST_TIMEOUT", 30))
graceful_timeout = 30
max_requests = 2000
max_requests_jitter = 200
# The master loads the site and warms it (ecosystem/project/warmup.py) before forking its
# workers, so that a worker started or recycled answers its first request as fast as its
# thousandth. Code changes then need a restart of gunicorn: a HUP keeps the loaded code.
preload_app = True
# No access log: the site writes one line per request itself (JSON by default, with the
# request id and the user; ecosystem/project/requestlog.py); gunicorn's would double it.
accesslog = None
# gunicorn's own events (workers starting, timing out) stay on standard error, as text.
errorlog = "-"
# The same proxies the site believes (settings.TRUSTED_PROXIES) set the scheme gunicorn reports.
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "127.0.0.1,::1")
# No control socket: the site never uses gunicornc, and its default path
# ($HOME/.gunicorn/gunicorn.ctl) is one for every gunicorn the user starts, so several
# servers on one machine (tests, benchmarks, a second site) would take it from each other.
control_socket_disable = True


class RequestTimeout(Exception):
    """A request ran past gunicorn's timeout."""


def when_ready(server):
    """In the master, the site loaded (preload_app) and the workers not yet forked."""
    from ecosystem.project import warmup

    warmup.application(server.app.wsgi())


def post_worker_init(worker):
    from ecosystem.project import warmup

    warmup.connections()
    # `make bench` waits for this line to time a fresh worker's first request.
    worker.log.info("Worker %s warmed", worker.pid)


def pre_request(worker, request):
    worker.serving = True


def post_request(worker, request, environ, response):
    worker.serving = False


def worker_abort(worker):
    """The arbiter's SIGABRT to a worker silent past `timeout`. Raised in the request, this
    ends it as a bug does: a 500 page, and Django's error line with the traceback that shows
    where it was stuck (a response already under way is cut off instead); the worker then
    exits, and the arbiter starts a fresh one. Code that never returns to Python (a C
    loop) cannot raise: the arbiter kills the worker a second later, and the client's
    connection is closed without an answer."""
    if isinstance(worker, SyncWorker) and getattr(worker, "serving", False):
        raise RequestTimeout(f"the request ran past gunicorn's timeout ({timeout} s)")
