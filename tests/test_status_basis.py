"""Every status says how it is known (issue 21): reported by a source, as of its date;
derived from planned dates only, and then the words say so; or verified by staff. The
pages, the filters, the API and the CSV say the same."""

import csv
import datetime
import importlib
import io

import pytest
from django.apps import apps
from django.utils import timezone, translation

from ecosystem.core.dates import format_as_of
from members.models import Organization
from programmes.models import Programme, ProgrammeStatus, StatusBasis
from tests import factories
from tests.helpers import html, shown, url

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def page(client, slug, language):
    return html(client.get(url("programmes:programme-detail", language, slug=slug)))


def kind(text):
    """The status line at the top of a programme's page."""
    start = text.index('<p class="kind">')
    return text[start : text.index("</p>", start)]


@pytest.mark.parametrize(
    ("language", "derived", "reported", "closed"),
    [
        ("en", "Planned to end in {} — no later report", "Closed (as of January 2019)", "Closed"),
        (
            "fr",
            "Fin prévue en {} — aucune information plus récente",
            "Terminé (état connu en janvier 2019)",
            "Terminé",
        ),
    ],
)
def test_a_passed_planned_end_is_not_a_reported_closure(
    client, seeded, language, derived, reported, closed
):
    # The plan (2016–2025) and the deployment phase (2018–2023): only their planned end
    # has passed; no source written since says that they ended.
    for slug, end in [("plan-senegal-numerique", "2025"), ("hub-iit-deployment", "2023")]:
        line = kind(page(client, slug, language))
        assert derived.format(end) in line
        assert f'<p class="kind">{closed}' not in line
    # The January 2019 article reports the pilot (2015–2018) over: closed, as of then.
    assert kind(page(client, "hub-iit-pilot", language)).startswith(f'<p class="kind">{reported}')
    # The phases listed on the umbrella's page say the same.
    umbrella = page(client, "hub-iit", language)
    phases = umbrella[umbrella.index("hub-iit-deployment/") :]
    assert derived.format("2023").lower() in phases[: phases.index("</li>")].lower()


def test_the_api_and_the_status_filter_agree_with_the_pages(client, seeded):
    api = {
        slug: client.get(f"/api/v1/programmes/{slug}/").json()
        for slug in ["plan-senegal-numerique", "hub-iit-pilot", "hub-iit", "ntf-v"]
    }
    assert (
        api["plan-senegal-numerique"]["status"],
        api["plan-senegal-numerique"]["status_basis"],
    ) == (
        "past_planned_end",
        "derived_from_dates",
    )
    assert (api["hub-iit-pilot"]["status"], api["hub-iit-pilot"]["status_basis"]) == (
        "closed",
        "reported",
    )
    assert (api["hub-iit"]["status"], api["hub-iit"]["status_basis"]) == (
        "reported_active",
        "reported",
    )
    assert api["ntf-v"]["status_basis"] == "derived_from_dates"  # ended June 2025, undated
    # The filter counts a passed planned end apart from a reported closure.
    closed = shown(client.get(url("programmes:programme-list") + "?status=closed"))
    past = shown(client.get(url("programmes:programme-list") + "?status=past_planned_end"))
    assert "hub-iit-pilot" in closed
    assert "plan-senegal-numerique" not in closed and "hub-iit-deployment" not in closed
    assert {"plan-senegal-numerique", "hub-iit-deployment", "ntf-v"} <= set(past)
    api_closed = client.get("/api/v1/programmes/?status=closed").json()["results"]
    assert sorted(p["slug"] for p in api_closed) == sorted(closed)
    assert {p["status_basis"] for p in api_closed} <= {"reported", "verified"}


@pytest.mark.parametrize(
    ("language", "closed", "past"),
    [
        ("en", "Closed", "Past its planned end, no later report"),
        ("fr", "Terminé", "Fin prévue passée, sans information plus récente"),
    ],
)
def test_the_status_facet_counts_with_the_same_words(client, seeded, language, closed, past):
    listing = html(client.get(url("programmes:programme-list", language)))
    facet = listing[listing.index('name="status"') - 400 :]
    facet = facet[: facet.index("</fieldset>")]
    closed_count = len(shown(client.get(url("programmes:programme-list") + "?status=closed")))
    past_count = len(
        shown(client.get(url("programmes:programme-list") + "?status=past_planned_end"))
    )
    assert f'{closed} <span class="count">({closed_count})</span>' in facet
    assert f'{past} <span class="count">({past_count})</span>' in facet


@pytest.mark.parametrize(
    ("language", "open_as_of", "header", "basis"),
    [
        ("en", "open (as of January 2019)", "Status", "reported"),
        ("fr", "ouvert (état connu en janvier 2019)", "Statut", "reported"),
    ],
)
def test_a_site_s_status_says_as_of_when(client, seeded, language, open_as_of, header, basis):
    text = page(client, "hub-iit-pilot", language)
    sites = text[text.index("<table") : text.index("</table>")]
    assert open_as_of in sites  # Hub-IIT Bamako, from the January 2019 article
    pilot = client.get("/api/v1/programmes/hub-iit-pilot/").json()
    (bamako,) = pilot["sites"]
    assert (bamako["status"], bamako["status_as_of"], bamako["status_basis"]) == (
        "open",
        "2019-01-17",
        basis,
    )


@pytest.mark.parametrize(
    ("language", "closed", "active", "site"),
    [
        ("en", "Closed (verified {})", "Active (verified {})", "open (verified {})"),
        ("fr", "Terminé (vérifié en {})", "En cours (vérifié en {})", "ouvert (vérifié en {})"),
    ],
)
def test_a_status_staff_verified_says_so(client, db, language, closed, active, site):
    verified = TODAY - datetime.timedelta(days=10)
    with translation.override(language):
        month = format_as_of(verified, "day")
    ended = factories.ProgrammeFactory(
        slug="ended",
        start=datetime.date(2015, 1, 1),
        start_precision="year",
        end=datetime.date(2020, 12, 31),
        end_precision="year",
        last_verified=verified,
    )
    running = factories.ProgrammeFactory(
        slug="running",
        start=datetime.date(2015, 1, 1),
        start_precision="year",
        last_verified=verified,
    )
    factories.SiteFactory(programme=running, name="Hub", status="open")
    assert ended.status_basis == running.status_basis == StatusBasis.VERIFIED
    for slug, words in [("ended", closed), ("running", active)]:
        assert kind(page(client, slug, language)).startswith(
            '<p class="kind">' + words.format(month)
        )
    assert site.format(month) in page(client, "running", language)
    data = client.get("/api/v1/programmes/running/").json()
    assert data["status_basis"] == data["sites"][0]["status_basis"] == "verified"


def test_the_csv_has_the_status_basis(client, seeded):
    for language, column in [("en", "Status basis"), ("fr", "Fondement du statut")]:
        response = client.get(url("programmes:programme-export", language))
        content = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = {
            row["Page" if language == "en" else "Page"].rstrip("/").rsplit("/", 1)[-1]: row
            for row in csv.DictReader(io.StringIO(content))
        }
        assert rows["plan-senegal-numerique"][column] == "derived_from_dates"
        assert rows["hub-iit-pilot"][column] == "reported"
        assert rows["hub-iit"][column] == "reported"


@pytest.mark.parametrize(
    ("source_published", "verified", "expected"),
    [
        (None, None, (ProgrammeStatus.PAST_PLANNED_END, StatusBasis.DERIVED_FROM_DATES)),
        ("2018-06-01", None, (ProgrammeStatus.PAST_PLANNED_END, StatusBasis.DERIVED_FROM_DATES)),
        ("2019-01-01", None, (ProgrammeStatus.CLOSED, StatusBasis.REPORTED)),
        (None, "2019-02-01", (ProgrammeStatus.CLOSED, StatusBasis.VERIFIED)),
        (
            "2018-06-01",
            "2018-12-31",
            (ProgrammeStatus.PAST_PLANNED_END, StatusBasis.DERIVED_FROM_DATES),
        ),
    ],
)
def test_a_reported_end_is_one_written_after_it(source_published, verified, expected):
    """Python (the pages) and SQL (the filter, the counts) agree."""
    source = factories.SourceFactory(
        published=datetime.date.fromisoformat(source_published) if source_published else None
    )
    programme = factories.ProgrammeFactory(
        start=datetime.date(2015, 1, 1),
        start_precision="year",
        end=datetime.date(2018, 12, 31),
        end_precision="year",
        dates_source=source,
        last_verified=datetime.date.fromisoformat(verified) if verified else None,
    )
    programme = Programme.objects.for_list().get(pk=programme.pk)
    assert (programme.status, programme.status_basis) == expected
    for status in ProgrammeStatus:
        found = Programme.objects.with_status(status).filter(pk=programme.pk).exists()
        assert found == (status == expected[0]), status
    counts = Programme.objects.filter(pk=programme.pk).status_counts()
    assert counts[expected[0]] == 1 and sum(counts.values()) == 1


PRESIDENT = {"en": ("president", "undated"), "fr": ("président", "non daté")}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_president_is_named_from_an_undated_source_and_says_so(client, seeded, language):
    word, undated = PRESIDENT[language]
    pages = [
        url("members:organization-detail", language, slug="optic"),
        url("members:organization-detail", language, slug="digital-senegal-consortium"),
        url("programmes:programme-detail", language, slug="ntf-vi"),
    ]
    for address in pages:
        text = html(client.get(address))
        assert "presided over" not in text and "présidée par" not in text
        description = text[text.index('<div class="description">') :]
        description = description[: description.index("</div>")]
        for paragraph in description.split("</p>"):
            if word in paragraph.lower():
                assert undated in paragraph and "ITC" in paragraph, (address, paragraph)


def test_the_migration_attributes_the_president_only_where_the_text_is_unchanged(db):
    migration = importlib.import_module("members.migrations.0011_attribute_optic_president")
    texts = migration.SEEDED_TEXTS
    seeded = factories.OrganizationFactory(
        slug="optic", **{field: old for field, (old, _new) in texts["optic"].items()}
    )
    edited_values = {
        field: old for field, (old, _new) in texts["digital-senegal-consortium"].items()
    }
    edited_values["description_en"] = "Staff rewrote this."
    edited = factories.OrganizationFactory(slug="digital-senegal-consortium", **edited_values)
    migration.attribute_the_president(apps, None)
    seeded.refresh_from_db()
    edited.refresh_from_db()
    assert seeded.description_en == texts["optic"]["description_en"][1]
    assert seeded.description_fr == texts["optic"]["description_fr"][1]
    assert "undated" in seeded.description_en
    assert seeded.history.latest().history_change_reason == "seed migration"
    assert edited.description_en == "Staff rewrote this."
    # Its French text was still as seeded: that field alone changes.
    assert "non daté" in edited.description_fr
    assert Organization.objects.count() == 2
