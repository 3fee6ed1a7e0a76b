"""What a fresh worker would otherwise do on its first requests, done before it serves
one (gunicorn.conf.py): a worker started or recycled (every `max_requests`) answered its
first pages in 0.3–2.2 s while it imported the views, compiled the URL patterns and the
templates, read the translations and the static files' manifest, each once.

`application()` runs once in gunicorn's master, which loads the site before forking
(`preload_app`): it compiles every template and serves the main pages once in each
language, so that every worker starts with all of that done, in memory shared with the
master: the calendars' entries too, which each process keeps (events.calendar), so that
a calendar's first request in a fresh worker writes only the entries changed since.
`connections()` runs in each worker: connections are the one thing a fork cannot share.
"""

import io
import logging
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.db import connections as databases
from django.template import TemplateSyntaxError, engines
from django.urls import reverse
from django.utils import translation

from ecosystem.core.registry import registry

logger = logging.getLogger(__name__)


def application(site):
    """Templates compiled, then the main pages served once by `site` (the WSGI
    application): what is the same for every worker (URLs, views, translations, static
    files' names) loaded before the fork."""
    started = time.monotonic()
    compiled = 0
    for engine in engines.all():
        for name in template_names(engine):
            try:
                engine.get_template(name)  # kept compiled by the cached loader
            except TemplateSyntaxError:
                continue  # a third-party template for a library the site does not load
            compiled += 1
    served = 0
    global database_answered
    try:
        databases["default"].ensure_connection()
    except DatabaseError:
        # The site starts without its database, answering 503 until it is back; the
        # workers then warm up on their first requests.
        database_answered = False
        logger.warning("Warm-up skipped: the database does not answer.")
    else:
        for path, language in main_pages():
            status = serve(site, path, language)
            if status == 200:
                served += 1
            else:
                logger.warning("Warm-up: %s answered %s.", path, status)
    # A connection shared by forked workers would interleave their queries.
    databases.close_all()
    logger.info(
        "Warm-up: %d templates compiled, %d pages served in %.1f s.",
        compiled,
        served,
        time.monotonic() - started,
    )


def template_names(engine):
    """Every template the engine can find: the project's and its apps' folders."""
    for folder in engine.template_dirs:
        root = Path(folder)
        for file in root.rglob("*"):
            if file.suffix in {".html", ".txt", ".xml", ".ics"}:
                yield str(file.relative_to(root))


def main_pages():
    """(path, language) of the home page, search, every list and the calendars in each
    language; the API's lists, the sitemap and the feed."""
    pages = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            paths = [reverse("home"), reverse("search") + "?q=dakar"]
            paths += [reverse(record_type.list_url) for record_type in registry]
            paths += [reverse(t.subscribe_url) for t in registry if t.subscribe_url]
        pages += [(path, language) for path in paths]
    pages += [(f"/api/v1/{record_type.key}/", None) for record_type in registry]
    return [*pages, (reverse("sitemap"), None), (reverse("feed"), None)]


def serve(site, path, language=None):
    """One GET through the whole site, middleware included, as gunicorn would pass it;
    returns the answer's status."""
    address = urlsplit(settings.SITE_URL)
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": address.hostname,
        "SERVER_PORT": str(address.port or (443 if address.scheme == "https" else 80)),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": address.netloc,
        "HTTP_X_FORWARDED_PROTO": address.scheme,
        "HTTP_ACCEPT_ENCODING": "gzip",
        "wsgi.url_scheme": address.scheme,
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }
    if language:
        environ["HTTP_ACCEPT_LANGUAGE"] = language
    answer = []
    response = site(environ, lambda status, headers, exc_info=None: answer.append(status))
    try:
        b"".join(response)
    finally:
        response.close()
    return int(answer[0].split()[0])


# Whether the database answered the master's warm-up (a forked worker inherits it).
database_answered = True


def connections():
    """The worker's database and cache connections, opened before the first visitor
    (a database that does not answer is left to the first request, which says so). A
    new PostgreSQL connection reads the catalog of each table and index it meets once:
    one row of each list, with what its rows show, makes it meet them now."""
    cache.get("warmup")
    if not database_answered:
        # The master waited for it already: a worker would wait as long again before
        # its first visitor, who is to be told at once that the directory is down.
        return
    try:
        for record_type in registry:
            list(record_type.listed_records().for_list()[:1])
    except DatabaseError:
        logger.warning("Warm-up skipped: the database does not answer.")
