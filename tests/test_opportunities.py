"""Opportunities (calls, grants, trainings, missions): their status from the clock, in
Dakar's time zone; their list, filters, page, export, API, calendar, and everywhere a
record type appears."""

import csv
import datetime
import io
import json
import zoneinfo

import pytest
from django.utils import timezone

from ecosystem.opendata.dataset import export
from opportunities.models import OPEN_FIRST, Opportunity, Status, open_first
from tests import factories
from tests.helpers import admin_url, count_queries, html, shown, url

pytestmark = pytest.mark.django_db

DAKAR = zoneinfo.ZoneInfo("Africa/Dakar")
TODAY = datetime.date(2026, 6, 10)
NOON = datetime.datetime(2026, 6, 10, 12, 0, tzinfo=DAKAR)


def at(day, hour=12, minute=0, second=0):
    return datetime.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=DAKAR)


@pytest.fixture
def frozen(monkeypatch):
    """Today is 10 June 2026, noon in Dakar."""
    monkeypatch.setattr(timezone, "now", lambda: NOON)
    return NOON


def call(slug, name_en, name_fr, **values):
    values.setdefault("sources", [factories.SourceFactory(published=datetime.date(2026, 5, 2))])
    return factories.OpportunityFactory(slug=slug, name_en=name_en, name_fr=name_fr, **values)


@pytest.fixture
def calls(frozen):
    senegal = factories.CountryFactory(code="SN", name_en="Senegal", name_fr="Sénégal")
    mali = factories.CountryFactory(code="ML", name_en="Mali", name_fr="Mali")
    digital = factories.SectorFactory(
        slug="digital-technology", name_en="Digital technology", name_fr="Numérique"
    )
    agri = factories.SectorFactory(slug="agribusiness", name_en="Agribusiness", name_fr="Agro")
    optic = factories.OrganizationFactory(slug="optic", name_en="OPTIC", name_fr="OPTIC")
    ntf = factories.ProgrammeFactory(slug="ntf-v", name_en="NTF V", name_fr="NTF V")
    made = {
        "later": call(
            "startup-grant",
            "Startup grant",
            "Subvention startups",
            kind="grant",
            deadline=datetime.date(2026, 8, 31),
            amount_max=50000,
            currency="EUR",
            stage_from=2,
            stage_to=2,
            countries=[senegal],
            sectors=[digital],
            programme=ntf,
        ),
        "soon": call(
            "export-mission",
            "Export mission",
            "Mission export",
            kind="mission",
            deadline=datetime.date(2026, 6, 20),
            countries=[senegal, mali],
            sectors=[digital],
        ),
        "rolling": call(
            "rolling-training",
            "Rolling training",
            "Formation continue",
            kind="training",
            rolling=True,
            countries=[mali],
            sectors=[agri],
        ),
        "yesterday": call(
            "passed-call",
            "Passed call",
            "Appel passé",
            kind="call",
            deadline=datetime.date(2026, 6, 9),
            countries=[senegal],
            sectors=[digital],
        ),
        "upcoming": call(
            "next-cohort",
            "Next cohort",
            "Prochaine cohorte",
            kind="cohort",
            opens=datetime.date(2026, 7, 1),
            deadline=datetime.date(2026, 9, 1),
            countries=[senegal],
            sectors=[digital],
        ),
        "draft": call(
            "hidden-call",
            "Hidden call",
            "Appel caché",
            publication_status="draft",
            deadline=datetime.date(2026, 8, 1),
            countries=[senegal],
        ),
    }
    factories.OpportunityRoleFactory(opportunity=made["later"], organization=optic)
    return made


def status(opportunity, moment):
    return Opportunity.objects.get(pk=opportunity.pk).status_at(moment)


# --- The status, from the clock ---------------------------------------------------------


def test_a_deadline_without_a_time_closes_at_the_end_of_its_day_in_dakar(frozen):
    grant = call("g", "Grant", "Subvention", deadline=datetime.date(2026, 6, 30))
    assert status(grant, at(datetime.date(2026, 6, 30), 23, 59, 59)) == Status.CLOSING_SOON
    assert status(grant, at(datetime.date(2026, 7, 1), 0, 0, 0)) == Status.CLOSED
    # Closing soon: within 14 days of the moment it closes.
    assert status(grant, at(datetime.date(2026, 6, 17), 0, 0, 0)) == Status.CLOSING_SOON
    assert status(grant, at(datetime.date(2026, 6, 16), 23, 59, 59)) == Status.OPEN


def test_a_deadline_at_a_time_closes_then_in_its_own_time_zone(frozen):
    dakar = call(
        "d",
        "Dakar",
        "Dakar",
        deadline=datetime.date(2026, 6, 30),
        deadline_time=datetime.time(17, 0),
    )
    assert status(dakar, at(datetime.date(2026, 6, 30), 16, 59)) == Status.CLOSING_SOON
    assert status(dakar, at(datetime.date(2026, 6, 30), 17, 0, 1)) == Status.CLOSED
    # Lagos is an hour ahead of Dakar: its midnight is 23:00 in Dakar.
    lagos = call(
        "l", "Lagos", "Lagos", deadline=datetime.date(2026, 6, 30), time_zone="Africa/Lagos"
    )
    assert status(lagos, at(datetime.date(2026, 6, 30), 22, 59)) == Status.CLOSING_SOON
    assert status(lagos, at(datetime.date(2026, 6, 30), 23, 0, 1)) == Status.CLOSED


def test_a_deadline_known_to_the_month_closes_at_the_months_end(frozen):
    grant = call(
        "m", "Month", "Mois", deadline=datetime.date(2026, 9, 1), deadline_precision="month"
    )
    assert grant.deadline == datetime.date(2026, 9, 30)
    assert status(grant, at(datetime.date(2026, 9, 30), 23)) == Status.CLOSING_SOON
    assert status(grant, at(datetime.date(2026, 10, 1), 0)) == Status.CLOSED


def test_rolling_upcoming_passed_and_unknown(calls):
    assert calls["rolling"].status == Status.ROLLING
    assert calls["upcoming"].status == Status.UPCOMING
    assert calls["yesterday"].status == Status.CLOSED
    assert calls["soon"].status == Status.CLOSING_SOON
    assert calls["later"].status == Status.OPEN
    unknown = call("u", "Unknown", "Inconnu")
    assert unknown.status == Status.UNKNOWN
    assert Opportunity.objects.open_at().filter(pk=unknown.pk).count() == 0


def test_a_bad_time_zone_is_refused_with_a_message(frozen):
    from django.core.exceptions import ValidationError

    grant = factories.OpportunityFactory.build(time_zone="Mars/Olympus")
    with pytest.raises(ValidationError) as error:
        grant.clean()
    assert "Africa/Dakar" in str(error.value)


# --- The list ---------------------------------------------------------------------------


def test_the_list_shows_open_calls_first_the_soonest_deadline_first(client, calls):
    expected = ["export-mission", "startup-grant", "rolling-training", "next-cohort", "passed-call"]
    assert shown(client.get(url("opportunities:opportunity-list", "en"))) == expected
    assert shown(client.get(url("opportunities:opportunity-list", "fr"))) == expected


def test_each_page_follows_the_open_first_order_across_its_groups(client, frozen):
    """A page is read group by group (read_page): page after page, in the list and the
    API, the calls come in the order one sort of the whole list gives."""
    for number, days in enumerate([-40, -3, -3, -1, 2, 5, 5, 30, 90] * 3):
        deadline = TODAY + datetime.timedelta(days=days)
        call(f"call-{number:02}", f"Call {number % 4}", f"Appel {number % 4}", deadline=deadline)
    call("rolling", "Rolling", "Continu", rolling=True, deadline=None)
    call("undated", "Undated", "Sans date", deadline=None)
    call("upcoming", "Upcoming", "À venir", opens=TODAY + datetime.timedelta(days=10))
    records = Opportunity.objects.published().annotate(**open_first())
    expected = list(records.order_by(*OPEN_FIRST, "sort_en", "pk").values_list("slug", flat=True))
    assert (expected[0], expected[-1]) == ("call-04", "call-18")  # soonest open, oldest closed
    base = url("opportunities:opportunity-list", "en")
    assert shown(client.get(base)) + shown(client.get(base + "?page=2")) == expected
    api = [client.get(f"/api/v1/opportunities/?page_size=20&page={n}").json() for n in (1, 2)]
    assert [row["slug"] for page in api for row in page["results"]] == expected


def test_the_list_filters(client, calls):
    base = url("opportunities:opportunity-list", "en")
    assert shown(client.get(base + "?open=yes")) == [
        "export-mission",
        "startup-grant",
        "rolling-training",
    ]
    assert shown(client.get(base + "?country=ML")) == ["export-mission", "rolling-training"]
    assert shown(client.get(base + "?kind=grant&kind=cohort")) == ["startup-grant", "next-cohort"]
    assert "startup-grant" not in shown(client.get(base + "?stage=1"))
    assert shown(client.get(base + "?offered_by=optic")) == ["startup-grant"]
    assert shown(client.get(base + "?programme=ntf-v")) == ["startup-grant"]
    assert shown(client.get(base + "?sector=agribusiness&open=yes")) == ["rolling-training"]
    page = html(client.get(base + "?open=yes"))
    assert "Open now: Yes" in page
    assert "Find support that fits your company" in page
    page = html(client.get(url("opportunities:opportunity-list", "fr") + "?open=yes"))
    assert "Ouvert maintenant : Oui" in page
    assert "Trouver un appui adapté à votre entreprise" in page


def test_a_bad_filter_value_is_set_aside_with_a_message(client, calls):
    response = client.get(url("opportunities:opportunity-list", "en") + "?stage=9&open=maybe")
    assert response.status_code == 200
    assert shown(response)[0] == "export-mission"
    assert "Stage" in html(response)


def test_a_row_says_the_status_as_of_when_and_the_deadline(client, calls):
    page = html(client.get(url("opportunities:opportunity-list", "en")))
    assert "status: closing soon (as of May 2026)" in page
    assert '<time datetime="2026-06-20">20 June 2026</time>' in page
    page = html(client.get(url("opportunities:opportunity-list", "fr")))
    assert "statut : bientôt clos (état connu en mai 2026)" in page
    assert "candidatures au fil de l’eau" in page


def test_the_list_runs_as_many_queries_with_ten_times_the_calls(client, calls):
    path = url("opportunities:opportunity-list", "en")
    before = count_queries(lambda: client.get(path))
    senegal = calls["later"].countries.get()
    for number in range(40):
        made = call(
            f"more-{number}",
            f"More {number}",
            f"Plus {number}",
            deadline=datetime.date(2026, 7, 1) + datetime.timedelta(days=number),
            countries=[senegal],
        )
        factories.OpportunityRoleFactory(opportunity=made)
    assert count_queries(lambda: client.get(path)) == before


# --- The page -----------------------------------------------------------------------------


def test_the_page_says_what_it_gives_who_may_apply_and_until_when(client, calls):
    page = html(client.get(url("opportunities:opportunity-detail", "en", slug="startup-grant")))
    assert "Grant or prize · status: open (as of May 2026)" in page
    assert '<dt>Deadline</dt><dd><time datetime="2026-08-31">31 August 2026</time>' in page
    assert "<dt>Who may apply</dt><dd>SMEs, startups · early stage</dd>" in page
    assert "up to 50\u202f000 EUR" in page
    assert 'href="/en/programmes/ntf-v/">NTF V</a>' in page
    assert "Who offers it" in page and "OPTIC" in page
    assert '"@type": "MonetaryGrant"' in page
    page = html(client.get(url("opportunities:opportunity-detail", "fr", slug="startup-grant")))
    assert "Subvention ou prix · statut : ouvert (état connu en mai 2026)" in page
    assert "<dt>Date limite</dt>" in page and "31 août 2026" in page
    assert "<dt>Qui peut candidater</dt><dd>PME, startups · en démarrage</dd>" in page
    assert "jusqu’à 50\u202f000 EUR" in page
    page = html(client.get(url("opportunities:opportunity-detail", "en", slug="rolling-training")))
    assert "none: applications are taken at any time" in page
    assert (
        client.get(url("opportunities:opportunity-detail", "en", slug="hidden-call")).status_code
        == 404
    )


def test_programme_and_organization_pages_list_their_open_calls(client, calls):
    page = html(client.get(url("programmes:programme-detail", "en", slug="ntf-v")))
    assert "<h2>Open calls</h2>" in page and "Startup grant" in page
    page = html(client.get(url("members:organization-detail", "fr", slug="optic")))
    assert "<h2>Appels ouverts</h2>" in page and "Subvention startups" in page
    calls["later"].deadline = datetime.date(2026, 6, 1)
    calls["later"].save()
    assert "Open calls" not in html(
        client.get(url("programmes:programme-detail", "en", slug="ntf-v"))
    )


def test_the_home_page_lists_the_calls_closing_soon(client, calls):
    page = html(client.get(url("home", "en")))
    section = page[page.index("<h2>Closing soon</h2>") :]
    section = section[: section.index("</section>")]
    assert "Export mission" in section and "Startup grant" not in section
    assert "Find support that fits your company" in page
    assert "<h2>Bientôt clos</h2>" in html(client.get(url("home", "fr")))


# --- Everywhere a record type appears --------------------------------------------------------


def test_search_hubs_feed_and_sitemap(client, calls):
    page = html(client.get(url("search", "en") + "?q=mission"))
    assert "Export <mark>mission</mark>" in page
    for page in (
        html(client.get(url("country-detail", "en", code="SN"))),
        html(client.get(url("sector-detail", "en", slug="digital-technology"))),
    ):
        assert "Startup grant" in page and "Hidden call" not in page
    assert "Startup grant" in html(client.get(url("feed", "en")))
    sitemap = html(client.get("/sitemap-opportunities.xml"))
    assert "/en/opportunities/startup-grant/" in sitemap and "hidden-call" not in sitemap


def test_the_export(client, calls):
    for language, header, value in [
        ("en", "Status", "closing soon"),
        ("fr", "Statut", "bientôt clos"),
    ]:
        response = client.get(
            url("opportunities:opportunity-export", language) + "?country=ML&open=yes"
        )
        rows = list(csv.DictReader(io.StringIO(b"".join(response).decode("utf-8-sig"))))
        assert [row[header] for row in rows] == [
            value,
            "rolling" if language == "en" else "candidatures au fil de l’eau",
        ]
    response = client.get(url("opportunities:opportunity-export", "en") + "?kind=grant")
    row = next(csv.DictReader(io.StringIO(b"".join(response).decode("utf-8-sig"))))
    assert (row["Deadline"], row["Amount up to"], row["Currency"]) == ("2026-08-31", "50000", "EUR")
    assert row["Roles"] == "offered by: OPTIC"


def test_the_api(client, calls):
    answer = client.get("/api/v1/opportunities/?open=yes&country=SN").json()
    assert [r["slug"] for r in answer["results"]] == ["export-mission", "startup-grant"]
    grant = client.get("/api/v1/opportunities/startup-grant/").json()
    assert grant["status"] == "open" and grant["status_as_of"] == "2026-05-02"
    assert grant["deadline"] == "2026-08-31" and grant["closes_at"].startswith(
        "2026-08-31T23:59:59"
    )
    assert grant["programme"] == "ntf-v" and grant["roles"][0]["organization"] == "optic"
    assert client.get("/api/v1/opportunities/hidden-call/").status_code == 404
    assert client.get("/api/v1/opportunities/?kind=nonsense").status_code == 400
    schema = client.get("/api/v1/schema/?format=json").json()
    parameters = {p["name"] for p in schema["paths"]["/api/v1/opportunities/"]["get"]["parameters"]}
    assert {"open", "stage", "offered_by", "programme", "kind"} <= parameters


def test_the_deadlines_calendar_follows_the_filters(client, calls):
    response = client.get("/deadlines.ics?country=ML")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    # Outside the language prefix: the visitor's language, French by default.
    assert "SUMMARY:Date limite : Mission export" in body
    assert "DTSTART;VALUE=DATE:20260620" in body
    assert "Subvention" not in body and "Formation continue" not in body  # Senegal; no deadline
    assert "Appel caché" not in client.get("/deadlines.ics").content.decode()
    english = client.get("/deadlines.ics", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "SUMMARY:Deadline: Startup grant" in english


def test_the_dataset(calls, tmp_path):
    export(tmp_path, "https://example.org")
    records = json.loads((tmp_path / "opportunities.json").read_text())
    assert {r["slug"] for r in records} == {
        "startup-grant",
        "export-mission",
        "rolling-training",
        "passed-call",
        "next-cohort",
    }


def test_the_admin_lists_edits_and_keeps_history(admin_client, calls):
    changelist = html(admin_client.get(admin_url(Opportunity, "changelist")))
    assert "Appel caché" in changelist
    draft = calls["draft"]
    assert admin_client.get(admin_url(Opportunity, "change", draft.pk)).status_code == 200
    history = html(admin_client.get(admin_url(Opportunity, "history", draft.pk)))
    assert (
        admin_url(Opportunity, "revert", draft.pk, draft.history.earliest().history_id) in history
    )


def test_a_visitor_can_suggest_a_call(client, calls):
    page = html(client.get(url("suggestions:suggest", "en") + "?type=opportunities"))
    assert '<option value="opportunities" selected>Opportunities</option>' in page
    page = html(client.get(url("suggestions:suggest", "fr") + "?type=opportunities"))
    assert '<option value="opportunities" selected>Opportunités</option>' in page


def test_the_seed_cites_its_document(seeded):
    opportunities = Opportunity.objects.all()
    assert opportunities.count() == 3
    for opportunity in opportunities:
        assert [s.document for s in opportunity.sources.all()] == ["000_a24fd8ffef3c98a1.txt"]
        assert opportunity.status == Status.UNKNOWN
        assert all(role.source for role in opportunity.roles.all())


def test_an_imported_call_is_a_draft_whose_deadline_closes_it(calls, tmp_path, client):
    from django.core.management import call_command

    from tests.helpers import database_rows

    path = tmp_path / "calls.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        csv.writer(file).writerows(
            [
                ["Name", "Kind", "Deadline", "Rolling", "Country codes", "Amount up to"],
                ["Imported grant", "grant or prize", "2026-06-30", "no", "SN", "20000"],
            ]
        )
    out = io.StringIO()
    call_command("import_records", "opportunities", str(path), stdout=out, stderr=io.StringIO())
    assert "1 created (drafts)" in out.getvalue()
    imported = Opportunity.objects.get(name_en="Imported grant")
    assert (imported.kind, imported.amount_max, imported.publication_status) == (
        "grant",
        20000,
        "draft",
    )
    assert imported.closes_at == at(datetime.date(2026, 6, 30), 23, 59, 59).replace(
        microsecond=999999
    )
    assert imported.status == Status.OPEN
    # What is exported imports back unchanged.
    response = client.get(url("opportunities:opportunity-export", "fr"))
    path.write_bytes(response.getvalue())
    before = database_rows()
    out = io.StringIO()
    call_command("import_records", "opportunities", str(path), stdout=out, stderr=io.StringIO())
    assert "0 created (drafts), 0 updated" in out.getvalue()
    assert database_rows() == before
