"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py`.

Every value can be overridden from the environment (GUNICORN_CMD_ARGS or the names below).
"""

import multiprocessing
import os

wsgi_app = "ecosystem.project.wsgi:application"
bind = os.environ.get("BIND", "0.0.0.0:" + os.environ.get("PORT", "8000"))
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Threads share each worker's persistent database connection (CONN_MAX_AGE).
threads = int(os.environ.get("GUNICORN_THREADS", 2))
timeout = 30
graceful_timeout = 30
max_requests = 2000
max_requests_jitter = 200
# No access log: the site writes one line per request itself (JSON by default, with the
# request id and the user; ecosystem/project/requestlog.py); gunicorn's would double it.
accesslog = None
# gunicorn's own events (workers starting, timing out) stay on standard error, as text.
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
