"""Events import cleanly into calendar applications: valid iCalendar, all-day dates."""

import datetime

import icalendar
import pytest
from django.utils import timezone, translation

from events import views
from events.models import Event
from tests.helpers import html, url

pytestmark = pytest.mark.django_db


def read(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def test_one_event_as_ics(client, world):
    year = timezone.localdate().year
    calendar = read(client.get(url("events:event-calendar", "en", slug="consultation-dakar")))
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == "Sector consultation in Dakar"
    # All-day: dates, not date-times; DTEND is the day after the last day.
    assert event.decoded("dtstart") == datetime.date(year - 5, 7, 4)
    assert event.decoded("dtend") == datetime.date(year - 5, 7, 6)
    assert str(event["location"]) == "Dakar, Senegal"
    assert str(event["url"]) == "http://testserver/en/events/consultation-dakar/"
    assert "http://testserver/en/events/consultation-dakar/" in str(event["description"])
    assert str(calendar["version"]) == "2.0" and calendar["prodid"]


@pytest.mark.parametrize(
    ("language", "known"),
    [
        ("fr", "Date exacte inconnue : {month} {year}."),
        ("en", "Dates known only as: {month} {year}."),
    ],
)
def test_a_month_precise_event_is_one_day_entry_titled_with_its_month(
    client, world, language, known
):
    year = timezone.localdate().year
    month = "mai" if language == "fr" else "May"
    response = client.get("/events.ics?series=sipen", HTTP_ACCEPT_LANGUAGE=language)
    (event,) = read(response).walk("VEVENT")
    assert event.decoded("dtstart") == datetime.date(year + 1, 5, 1)
    assert event.decoded("dtend") == datetime.date(year + 1, 5, 2)  # not a month-long block
    assert str(event["summary"]).endswith(f" ({month} {year + 1})")
    assert known.format(month=month, year=year + 1) in str(event["description"])


def test_only_held_events_are_confirmed(client, world):
    statuses = {
        str(e["uid"]): str(e["status"]) for e in read(client.get("/events.ics")).walk("VEVENT")
    }
    expected = {"announced": "TENTATIVE", "held": "CONFIRMED", "cancelled": "CANCELLED"}
    for event in Event.objects.published():
        assert (
            statuses[f"event-{event.pk}@west-africa-tech-support-directory"]
            == (expected[event.status])
        )
    assert "TENTATIVE" in statuses.values() and "CONFIRMED" in statuses.values()


def test_the_feed_takes_the_list_filters(client, world):
    summaries = {
        str(e["summary"])
        for e in read(
            client.get("/events.ics?kind=consultation&kind=mission", HTTP_ACCEPT_LANGUAGE="en")
        ).walk("VEVENT")
    }
    mission = Event.objects.get(kind="mission")
    assert summaries == {"Sector consultation in Dakar", f"Mission to Bamako ({mission.period})"}
    assert "draft-event" not in client.get("/events.ics").content.decode()
    # A bad filter is ignored, as on the page, rather than breaking a subscription.
    assert client.get("/events.ics?country=XX&year=abc").status_code == 200


def test_the_events_page_offers_a_subscription_keeping_its_filters(client, world):
    page = html(client.get(url("events:event-list", "en") + "?kind=consultation"))
    assert 'href="/events.ics?kind=consultation"' in page


def test_unknown_event_calendar_is_404(client, world):
    assert client.get(url("events:event-calendar", "en", slug="draft-event")).status_code == 404


def test_the_feed_holds_the_latest_events_only(client, world, monkeypatch):
    monkeypatch.setattr(views, "CALENDAR_EVENTS", 2)
    body = b"".join(client.get("/events.ics")).decode()
    assert body.count("BEGIN:VEVENT") == 2
    assert "sipen-next" in body  # the furthest ahead comes first


def test_a_calendar_is_what_the_library_writes_for_it_whole(client, world):
    """Entries kept by the process are joined as the library joins them: the same bytes as
    a calendar built whole, in both languages."""
    from events import calendar

    events = list(Event.objects.published().for_api().order_by("-start", "pk"))
    for language in ("fr", "en"):
        with translation.override(language):
            whole = icalendar.Calendar()
            for name, value in [
                ("prodid", calendar.PRODID),
                ("version", "2.0"),
                ("calscale", "GREGORIAN"),
                ("x-wr-calname", icalendar.vText("Events")),
                ("x-published-ttl", "PT12H"),
            ]:
                whole.add(name, value)
            for event in events:
                address = f"http://testserver{event.get_absolute_url()}"
                whole.add_component(calendar.vevent(event, address))
            made = calendar.calendar(events, lambda path: f"http://testserver{path}", "Events")
            assert made == whole.to_ical()
            again = calendar.calendar(events, lambda path: f"http://testserver{path}", "Events")
            assert again == made  # from the entries kept


def test_an_entry_kept_by_the_process_follows_its_event_and_its_country(client, world):
    from events import calendar

    client.get("/events.ics", HTTP_ACCEPT_LANGUAGE="en")  # every entry kept
    event = Event.objects.get(slug="consultation-dakar")
    event.name_en = "Consultation renamed"
    event.save()
    text = client.get("/events.ics", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "SUMMARY:Consultation renamed" in text
    event = Event.objects.for_api().get(pk=event.pk)
    event.country.name_en = "Republic of Senegal"  # what the entry shows of its country
    with translation.override("en"):
        made = calendar.calendar([event], lambda path: f"http://testserver{path}", "One")
    assert b"LOCATION:Dakar\\, Republic of Senegal" in made
