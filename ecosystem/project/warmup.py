"""What a fresh worker would otherwise do on its first requests, done before it serves
one (gunicorn.conf.py): a worker started or recycled (every `max_requests`) answered its
first pages in 0.3–2.2 s while it imported the views, compiled the URL patterns and the
templates and read the translations, each once.

`application()` runs once in gunicorn's master, which loads the site before forking
(`preload_app`): every worker starts with it done, in memory shared with the master.
`connections()` runs in each worker: connections are the one thing a fork cannot share.
"""

from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connections as databases
from django.template import TemplateSyntaxError, engines
from django.urls import get_resolver, resolve, reverse
from django.utils import translation

from ecosystem.core.registry import registry


def application():
    """URLs, translations and templates: the same for every worker."""
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            # Each language has its own compiled patterns and reverse table.
            get_resolver().url_patterns  # noqa: B018  (imports every view)
            for record_type in registry:
                resolve(reverse(record_type.list_url))
    for engine in engines.all():
        for name in template_names(engine):
            try:
                engine.get_template(name)  # kept compiled by the cached loader
            except TemplateSyntaxError:
                continue  # a third-party template for a library the site does not load
    # Nothing above should open one; a connection shared by forked workers would
    # interleave their queries.
    databases.close_all()


def template_names(engine):
    """Every template the engine can find: the project's and its apps' folders."""
    folders = [*engine.template_dirs]
    for folder in folders:
        root = Path(folder)
        for file in root.rglob("*"):
            if file.suffix in {".html", ".txt", ".xml", ".ics"}:
                yield str(file.relative_to(root))


def connections():
    """The worker's database and cache connections, opened before the first visitor."""
    for connection in databases.all():
        connection.ensure_connection()
    cache.get("warmup")
