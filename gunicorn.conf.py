"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py`.

Every value can be overridden from the environment (GUNICORN_CMD_ARGS or the names below).
"""

import multiprocessing
import os

wsgi_app = "ecosystem.project.wsgi:application"
# Loopback: the proxy in front (nginx, a load balancer's agent) is the only client. Bind a
# public address on purpose (BIND=0.0.0.0:8000) and list the proxies in TRUSTED_PROXIES.
bind = os.environ.get("BIND", "127.0.0.1:" + os.environ.get("PORT", "8000"))
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
# The same proxies the site believes (settings.TRUSTED_PROXIES) set the scheme gunicorn reports.
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "127.0.0.1,::1")
