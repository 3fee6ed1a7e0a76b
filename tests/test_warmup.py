"""A worker forked by gunicorn starts warm (ecosystem/project/warmup.py): the master has
compiled every template and served the main pages once in each language, and holds no
database connection its workers would share; without a database the site still starts."""

import logging

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import OperationalError, connection
from django.template import engines

from ecosystem.project import warmup
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def records(db):
    factories.OrganizationFactory(slug="optic", name_en="OPTIC")
    factories.ProgrammeFactory(slug="ppp", name_en="Programme")


def warmup_log(caplog):
    return [r.getMessage() for r in caplog.records if r.name == warmup.__name__]


def test_the_master_serves_the_main_pages_and_keeps_no_connection(records, caplog, monkeypatch):
    caplog.set_level(logging.INFO)
    closed = []
    close_all = warmup.databases.close_all
    monkeypatch.setattr(warmup.databases, "close_all", lambda: closed.append(close_all()))
    warmup.application(WSGIHandler())
    pages = [path for path, _language in warmup.main_pages()]
    for page in ["/en/", "/fr/", "/en/smes/", "/fr/programmes/", "/api/v1/smes/", "/sitemap.xml"]:
        assert page in pages
    assert ("/events.ics", "fr") in warmup.main_pages()
    [summary] = warmup_log(caplog)  # nothing failed
    assert f"templates compiled, {len(pages)} pages served in" in summary
    cached = engines["django"].engine.template_loaders[0].get_template_cache
    assert {"admin/change_form.html", "email/staff_digest.txt"} <= set(cached)
    assert closed
    # SQLite's in-memory test database ignores close(), which would destroy it.
    if not getattr(connection, "is_in_memory_db", lambda: False)():
        assert connection.connection is None


def test_the_master_keeps_the_calendars_entries_for_its_workers(records, monkeypatch):
    """A fresh worker's first calendar writes none of the entries the master wrote."""
    from events import calendar

    factories.EventFactory.create_batch(3)
    monkeypatch.setattr(calendar, "kept", type(calendar.kept)())
    warmup.application(WSGIHandler())
    assert len(calendar.kept) == 2 * 3  # each event in each language
    made = []
    monkeypatch.setattr(calendar, "vevent", lambda *args: made.append(args))
    from django.core.cache import cache
    from django.test import Client

    cache.clear()  # the pages the master kept gone: the calendars are made again
    for language in ("en", "fr"):
        assert Client(HTTP_ACCEPT_LANGUAGE=language).get("/events.ics").status_code == 200
    assert made == []


def test_without_a_database_the_site_starts_and_says_why(monkeypatch, caplog):
    def refused():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "ensure_connection", refused)
    monkeypatch.setattr(connection, "cursor", refused)
    monkeypatch.setattr(warmup, "database_answered", True)  # as a master starts
    warmup.application(WSGIHandler())
    # The worker does not wait for the database again before its first request.
    warmup.connections()
    skipped = "Warm-up skipped: the database does not answer."
    before_fork, summary = warmup_log(caplog)
    assert before_fork == skipped
    assert "templates compiled, 0 pages served" in summary


def test_a_worker_whose_database_went_away_since_says_why(monkeypatch, caplog):
    def refused():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "ensure_connection", refused)
    monkeypatch.setattr(connection, "cursor", refused)
    warmup.connections()  # the master found it; a recycled worker does not
    assert warmup_log(caplog) == ["Warm-up skipped: the database does not answer."]
