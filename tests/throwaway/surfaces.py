"""Every surface of the throw-away type, calls for applications: its own field (`kind`)
filtered, exported, served and shown; its records everywhere every type appears; its
draft nowhere public. Run under tests.throwaway.settings by tests/test_throwaway_type.py
(the main suite does not collect this file)."""

import csv
import io
import json

import pytest
from django.conf import settings

from ecosystem.core.registry import registry
from ecosystem.opendata.dataset import export
from tests import factories
from tests.helpers import admin_url, html, url
from tests.throwaway.models import Call

pytestmark = pytest.mark.django_db

PUBLISHED, OTHER, DRAFT = "digital-skills", "trade-mission", "hidden-draft"


class CallFactory(factories.PublishableFactory):
    kind = "training"

    class Meta:
        model = Call


@pytest.fixture
def calls(db):
    senegal = factories.CountryFactory(code="SN")
    sector = factories.SectorFactory(slug="digital", name_en="Digital", name_fr="Numérique")
    for slug, name_en, name_fr, kind, status in [
        (PUBLISHED, "Digital skills call", "Appel compétences", "training", "published"),
        (OTHER, "Trade mission call", "Appel mission", "mission", "published"),
        (DRAFT, "Hidden draft call", "Appel caché", "training", "draft"),
    ]:
        CallFactory(
            slug=slug,
            name_en=name_en,
            name_fr=name_fr,
            kind=kind,
            publication_status=status,
            countries=[senegal],
            sectors=[sector],
            sources=[factories.SourceFactory()],
        )


def text(client, path):
    return html(client.get(path))


def test_it_is_registered_with_its_own_field():
    calls = registry["calls"]
    assert [f.name for f in calls.fields] == ["kind"]


def test_the_list_filters_on_its_own_field(client, calls):
    page = text(client, url("throwaway:call-list", "en") + "?kind=training")
    assert "Digital skills call" in page
    assert "Trade mission call" not in page and "Hidden draft call" not in page
    assert "Kind: training" in page  # the chip
    page = text(client, url("throwaway:call-list", "fr") + "?kind=mission")
    assert "Appel mission" in page and "Appel compétences" not in page
    assert "Type : mission" in page
    everything = text(client, url("throwaway:call-list", "en"))
    assert 'name="kind"' in everything  # the facet, with its count
    assert "Hidden draft call" not in everything
    assert "Digital skills call" in text(client, url("throwaway:call-list", "en") + "?q=skills")


def test_the_export_has_its_own_column(client, calls):
    for language, header, value in [("en", "Kind", "training"), ("fr", "Type", "formation")]:
        response = client.get(url("throwaway:call-export", language) + "?kind=training")
        rows = list(csv.DictReader(io.StringIO(b"".join(response).decode("utf-8-sig"))))
        assert [row[header] for row in rows] == [value]
        assert list(rows[0])[:2] == (["Name", "Acronym"] if language == "en" else ["Nom", "Sigle"])


def test_the_page_shows_its_own_field(client, calls):
    page = text(client, url("throwaway:call-detail", "en", slug=PUBLISHED))
    assert "<dt>Kind</dt><dd>training</dd>" in page
    page = text(client, url("throwaway:call-detail", "fr", slug=PUBLISHED))
    assert "<dt>Type</dt><dd>formation</dd>" in page and "Appel compétences" in page
    assert client.get(url("throwaway:call-detail", "en", slug=DRAFT)).status_code == 404


def test_search_finds_published_calls_only(client, calls):
    page = text(client, url("search", "en") + "?q=call")
    assert 'Calls for applications <span class="count">(2)</span>' in page
    assert f'href="/en/calls/{PUBLISHED}/"' in page and DRAFT not in page
    answer = client.get("/api/v1/calls/?q=skills").json()
    assert [record["slug"] for record in answer["results"]] == [PUBLISHED]


def test_home_hubs_navigation_feed_and_sitemap(client, calls):
    home = text(client, url("home", "en"))
    assert "2 calls" in home
    assert f'href="{url("throwaway:call-list", "en")}">Calls for applications</a>' in home
    # Its own labels have no French: the project's catalogue holds only what the
    # project's code says (tests/test_translations.py); a real type's would.
    for page in (
        text(client, url("country-detail", "en", code="SN")),
        text(client, url("sector-detail", "en", slug="digital")),
    ):
        assert "Digital skills call" in page and "Hidden draft call" not in page
    feed = text(client, url("feed", "en"))
    assert "Digital skills call" in feed and "Hidden draft call" not in feed
    assert "sitemap-calls.xml" in text(client, "/sitemap.xml")
    sitemap = text(client, "/sitemap-calls.xml")
    assert f"/en/calls/{PUBLISHED}/" in sitemap and DRAFT not in sitemap


def test_the_api_and_its_schema(client, calls):
    answer = client.get("/api/v1/calls/?kind=mission").json()
    assert [(r["slug"], r["kind"]) for r in answer["results"]] == [(OTHER, "mission")]
    assert client.get(f"/api/v1/calls/{PUBLISHED}/").json()["kind"] == "training"
    assert client.get(f"/api/v1/calls/{DRAFT}/").status_code == 404
    assert client.get("/api/v1/calls/?kind=nonsense").status_code == 400
    schema = client.get("/api/v1/schema/?format=json").json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/calls/"]["get"]["parameters"]}
    assert parameters["kind"]["schema"]["items"]["enum"] == ["training", "mission", "consultation"]
    call = schema["components"]["schemas"]["Call"]["properties"]
    assert "kind" in call


def test_the_dataset(calls, tmp_path):
    export(tmp_path, "https://example.org")
    records = json.loads((tmp_path / "calls.json").read_text())
    kinds = {(r["slug"], r["kind"]) for r in records}
    assert kinds == {(PUBLISHED, "training"), (OTHER, "mission")}
    with open(tmp_path / "calls.csv", encoding="utf-8-sig", newline="") as handle:
        assert {row["Kind"] for row in csv.DictReader(handle)} == {"training", "mission"}


def test_the_admin_lists_edits_and_keeps_history(admin_client, calls):
    # The admin speaks French by default.
    changelist = text(admin_client, admin_url(Call, "changelist"))
    assert "Appel caché" in changelist and "Appel compétences" in changelist
    draft = Call.objects.get(slug=DRAFT)
    change = admin_client.get(admin_url(Call, "change", draft.pk))
    assert change.context["adminform"].form["kind"].value() == "training"
    history = text(admin_client, admin_url(Call, "history", draft.pk))
    version = draft.history.earliest()
    assert "Chaque version indique ce qui a changé." in history
    assert admin_url(Call, "revert", draft.pk, version.history_id) in history
    assert settings.INSTALLED_APPS[-1] == "tests.throwaway"


def test_staff_groups_may_edit_it_and_only_publishers_publish_it():
    from django.contrib.auth.models import Group

    def codenames(group):
        permissions = Group.objects.get(name=group).permissions
        return set(
            permissions.filter(content_type__app_label="throwaway").values_list(
                "codename", flat=True
            )
        )

    assert codenames("Editor") == {"add_call", "change_call", "view_call"}
    assert codenames("Publisher") == {
        "add_call",
        "change_call",
        "view_call",
        "delete_call",
        "publish_call",
    }
