"""The home page's upcoming and recent events: what is not over yet, the first to end
first (an event under way included), and what is over, the last to end first; read from
an index on the end that starts at today, whatever the number of events before it."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from events.models import Event
from events.records import HOME_EVENTS
from tests import factories
from tests.helpers import count_queries, html, url

pytestmark = pytest.mark.django_db

TITLES = {
    "en": ("Upcoming events", "Recent events"),
    "fr": ("Événements à venir", "Événements récents"),
}


def event(slug, start, end, **kwargs):
    return factories.EventFactory(
        slug=slug, start=start, start_precision="day", end=end, end_precision="day", **kwargs
    )


def shown(page, title):
    """The slugs of the events linked in the home page's section under `title`, in order."""
    part = page[page.index(title) :]
    part = part[: part.index("</section>")]
    return [slug for slug in Event.objects.values_list("slug", flat=True) if f"/{slug}/" in part]


def in_order(page, title, slugs):
    part = page[page.index(title) :]
    part = part[: part.index("</section>")]
    return sorted(slugs, key=lambda slug: part.index(f"/{slug}/"))


@pytest.mark.parametrize("language", ["en", "fr"])
def test_upcoming_events_are_those_not_over_the_first_to_end_first(client, language):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    for number in range(30):  # long over: the scan never passes them
        event(f"old-{number}", today - (40 + number) * day, today - (40 + number) * day)
    event("ended-yesterday", today - 3 * day, today - day)
    event("ended-last-week", today - 7 * day, today - 7 * day)
    event("under-way", today - 2 * day, today + 2 * day)
    event("today", today, today)
    event("next-week", today + 7 * day, today + 8 * day)
    event("next-month", today + 30 * day, today + 30 * day)
    event("draft", today + day, today + day, publication_status="draft")
    for number in range(3):
        event(f"later-{number}", today + (60 + number) * day, today + (60 + number) * day)
    page = html(client.get(url("home", language)))
    upcoming, recent = TITLES[language]

    soonest = ["today", "under-way", "next-week", "next-month", "later-0"]
    assert sorted(shown(page, upcoming)) == sorted(soonest)
    assert in_order(page, upcoming, soonest) == soonest
    assert len(soonest) == HOME_EVENTS

    latest = ["ended-yesterday", "ended-last-week", "old-0", "old-1", "old-2"]
    assert sorted(shown(page, recent)) == sorted(latest)
    assert in_order(page, recent, latest) == latest


def test_the_home_page_costs_the_same_with_ten_times_the_events(client):
    today = timezone.localdate()
    senegal = factories.CountryFactory(code="SN")

    def add(n, offset):
        for number in range(n):
            shift = datetime.timedelta(days=offset + number)
            for when, sign in (("past", -1), ("next", 1)):
                event(
                    f"{when}-{offset}-{number}",
                    today + sign * shift,
                    today + sign * shift,
                    countries=[senegal],
                )

    add(3, 1)
    few = count_queries(lambda: client.get(url("home", "en")))
    add(30, 10)
    assert count_queries(lambda: client.get(url("home", "en"))) == few


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
@pytest.mark.parametrize("section", ["soonest", "recent"])
def test_the_database_reads_the_events_from_today_in_the_index_on_their_end(section):
    today = timezone.localdate()
    for number in range(50):
        shift = datetime.timedelta(days=number)
        event(f"past-{number}", today - shift, today - shift)
        event(f"next-{number}", today + shift, today + shift)
    events = getattr(Event.objects.published(), section)()[:HOME_EVENTS]
    sql, params = events.query.sql_with_params()
    with connection.cursor() as cursor:
        # A hundred rows fit a few pages: the planner would rather read them all than an
        # index; with a scan of the whole table ruled out, it shows which index serves.
        cursor.execute("ANALYZE events_event")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # Read in the index's order from today on: no sort of every match before the limit.
    assert "Index Scan using event_end" in plan or "Index Scan Backward using event_end" in plan
    assert 'Index Cond: ("end"' in plan
    assert "Presorted Key" in plan or "Sort" not in plan
