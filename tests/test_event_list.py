import pytest
from django.utils import timezone

from tests import factories
from tests.helpers import count_queries, edit, html, shown, url

pytestmark = pytest.mark.django_db


def events(client, query="", language="en"):
    return client.get(url("events:event-list", language) + query)


def test_events_newest_first_without_drafts(client, world):
    assert shown(events(client)) == ["sipen-next", "mission-bamako", "consultation-dakar"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?when=upcoming", {"sipen-next"}),
        ("?when=past", {"mission-bamako", "consultation-dakar"}),
        ("?kind=consultation", {"consultation-dakar"}),
        ("?kind=consultation&kind=trade_show", {"consultation-dakar", "sipen-next"}),
        ("?series=sipen", {"sipen-next"}),
        ("?programme=digital-mali", {"consultation-dakar"}),
        ("?country=ML", {"mission-bamako"}),
        ("?sector=digital-technology", {"sipen-next", "consultation-dakar"}),
        ("?country=SN&when=past", {"consultation-dakar"}),
        ("?q=dakar", {"consultation-dakar"}),
        ("?q=thies", set()),  # the city is not searched, only names and texts
    ],
)
def test_event_filters(client, world, query, expected):
    assert set(shown(events(client, query))) == expected


def test_year(client, world):
    year = timezone.localdate().year
    assert shown(events(client, f"?year={year - 5}")) == ["consultation-dakar"]
    assert shown(events(client, f"?year={year + 1}")) == ["sipen-next"]


def test_rows_show_kind_dates_and_place(client, world):
    year = timezone.localdate().year
    page = html(events(client, "?kind=consultation", "fr"))
    before = count_queries(lambda: events(client, "?kind=consultation", "fr"))
    assert f"4–5 juillet {year - 5}" in page
    assert "Dakar, Sénégal" in page
    for number in range(6):
        factories.EventFactory(slug=f"more-{number}", kind="consultation", countries=[world["SN"]])
    assert len(shown(events(client, "?kind=consultation", "fr"))) == 7
    assert count_queries(lambda: events(client, "?kind=consultation", "fr")) == before


def test_an_event_known_to_the_month_is_upcoming_all_month(client, world):
    today = timezone.localdate()
    factories.EventFactory(slug="this-month", start=today.replace(day=1), start_precision="month")
    assert "this-month" in shown(client.get(url("events:event-list") + "?when=upcoming"))
    assert "this-month" not in shown(client.get(url("events:event-list") + "?when=past"))


def test_time_elements_carry_the_known_precision(client, world):
    page = html(client.get(url("events:event-list") + "?series=sipen"))
    year = timezone.localdate().year
    assert f'<time datetime="{year + 1}-05">' in page
    consultation = html(client.get(url("events:event-list") + "?kind=consultation"))
    assert f'<time datetime="{year - 5}-07-04">' in consultation


def test_where_an_event_was_held_is_among_its_countries(client, world, staff_client):
    event = factories.EventFactory(
        slug="held-in-mali", countries=[world["SN"]], sources=[factories.SourceFactory()]
    )
    edit(staff_client, event, country="ML", countries=["SN"])
    assert set(event.countries.values_list("code", flat=True)) == {"SN", "ML"}
    assert "held-in-mali" in shown(events(client, "?country=ML"))
    event.country = world["CI"]
    event.save()  # from the shell too
    assert "CI" in event.countries.values_list("code", flat=True)


def test_a_programme_finds_the_events_of_its_phases(client, world):
    factories.EventFactory(slug="phase-training", programme=world["phase"], countries=[world["SN"]])
    for language in ("en", "fr"):
        assert "phase-training" in shown(events(client, "?programme=agri-senegal", language))
        assert "phase-training" in shown(events(client, "?programme=agri-senegal-2", language))
    api = client.get("/api/v1/events/?programme=agri-senegal").json()
    assert [record["slug"] for record in api["results"]] == ["phase-training"]
