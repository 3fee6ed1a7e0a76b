"""Values keep the source's form (issue 21): "one third" stays a fraction, not "about
33.33 %"; a programme that is only hoped for (NTF VI) is shown as what it is, has its
page, and is neither listed nor counted among the programmes that exist."""

import csv
import importlib
import io
from decimal import Decimal

import pytest
from django.apps import apps

from ecosystem.core.counts import ALL, counts
from programmes.models import Existence, Indicator, Programme
from tests import factories
from tests.helpers import count_queries, html, shown, url

pytestmark = pytest.mark.django_db

ONE_THIRD = {"en": "one third of the requests", "fr": "un tiers des demandes"}


def figures(text):
    section = text[text.index('<ul class="indicators">') :]
    return section[: section.index("</ul>")]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_fraction_stays_a_fraction(client, seeded, language):
    for slug in ["hub-iit-pilot", "hub-iit"]:  # its phase's page and its umbrella's
        shown_figures = figures(
            html(client.get(url("programmes:programme-detail", language, slug=slug)))
        )
        assert f"<strong>{ONE_THIRD[language]}</strong>" in shown_figures
        assert "33.33" not in shown_figures and "33,33" not in shown_figures
        assert "33" not in shown_figures.replace("300", "")
    # The API keeps the number with its qualifier, and the source's words beside it.
    (share,) = [
        figure
        for figure in client.get("/api/v1/programmes/hub-iit-pilot/").json()["indicators"]
        if figure["value_text_en"]
    ]
    assert (share["value"], share["qualifier"]) == ("33.33", "about")
    assert (share["value_text_en"], share["value_text_fr"]) == (ONE_THIRD["en"], ONE_THIRD["fr"])


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_range_stays_a_range(client, db, language):
    programme = factories.ProgrammeFactory(slug="ranged")
    factories.IndicatorFactory(
        programme=programme,
        value=Decimal("20"),
        qualifier="at_least",
        value_text_en="20 to 30 start-ups",
        value_text_fr="20 à 30 start-up",
    )
    text = figures(html(client.get(url("programmes:programme-detail", language, slug="ranged"))))
    words = {"en": "20 to 30 start-ups", "fr": "20 à 30 start-up"}[language]
    assert f"<strong>{words}</strong>" in text
    assert "at least" not in text and "au moins" not in text


HOPED_FOR = {"en": "Hoped for", "fr": "Souhaité"}
SECTION = {"en": "Proposed or hoped for", "fr": "Proposés ou souhaités"}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_hoped_for_programme_has_its_page_and_says_what_it_is(client, seeded, language):
    text = html(client.get(url("programmes:programme-detail", language, slug="ntf-vi")))
    assert f'<p class="kind">{HOPED_FOR[language]}' in text
    # Its parent's page names it apart from the phases that exist.
    parent = html(
        client.get(url("programmes:programme-detail", language, slug="netherlands-trust-fund"))
    )
    link = url("programmes:programme-detail", language, slug="ntf-vi")
    phases = parent[parent.index("<section", parent.index("ntf-iv/") - 400) :]
    phases = phases[: phases.index("</section>")]
    assert "ntf-v/" in phases and link not in phases
    hoped = parent[parent.index(SECTION[language]) :]
    hoped = hoped[: hoped.index("</section>")]
    assert f'href="{link}"' in hoped
    assert HOPED_FOR[language].lower() in hoped


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_hoped_for_programme_is_not_listed_or_counted(client, seeded, language):
    listed = shown(client.get(url("programmes:programme-list", language)))
    assert "ntf-vi" not in listed and "ntf-v" in listed
    existing = Programme.objects.published().existing().count()
    assert len(listed) == existing == Programme.objects.published().count() - 1
    assert counts()["programmes"][ALL] == existing
    home = html(client.get(f"/{language}/"))
    assert "ntf-vi" not in home
    word = "programmes"
    assert f"{existing} {word}" in home
    timeline = html(client.get(url("programmes:programme-list", language)))
    assert "/programmes/ntf-vi/" not in timeline
    # Asked for, it is found: on the page, in the CSV and in the API alike.
    assert shown(
        client.get(url("programmes:programme-list", language) + "?existence=hoped_for")
    ) == ["ntf-vi"]


def test_the_api_and_the_csv_say_whether_a_programme_exists(client, seeded):
    default = client.get("/api/v1/programmes/").json()
    slugs = [programme["slug"] for programme in default["results"]]
    assert "ntf-vi" not in slugs
    assert {programme["existence"] for programme in default["results"]} == {"confirmed"}
    hoped = client.get("/api/v1/programmes/?existence=hoped_for").json()["results"]
    assert [(p["slug"], p["existence"]) for p in hoped] == [("ntf-vi", "hoped_for")]
    assert client.get("/api/v1/programmes/ntf-vi/").json()["existence"] == "hoped_for"
    response = client.get(url("programmes:programme-export") + "?existence=hoped_for")
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    (row,) = csv.DictReader(io.StringIO(content))
    assert row["Existence"] == "hoped_for"
    assert client.get("/api/v1/programmes/?existence=maybe").status_code == 400


def test_the_list_runs_the_same_queries_with_hoped_for_programmes(client, db):
    parent = factories.ProgrammeFactory(slug="parent")
    factories.ProgrammeFactory(parent=parent, existence=Existence.HOPED_FOR)
    factories.ProgrammeFactory(parent=parent)
    list_url = url("programmes:programme-list")
    detail = url("programmes:programme-detail", slug="parent")
    before = (
        count_queries(lambda: client.get(list_url)),
        count_queries(lambda: client.get(detail)),
    )
    for _ in range(10):
        factories.ProgrammeFactory(parent=parent, existence=Existence.PROPOSED)
        factories.ProgrammeFactory(parent=parent)
    after = (count_queries(lambda: client.get(list_url)), count_queries(lambda: client.get(detail)))
    assert after == before


def test_the_migration_changes_only_rows_still_as_seeded(db):
    migration = importlib.import_module("programmes.migrations.0012_source_forms_and_hoped_for")
    pilot = factories.ProgrammeFactory(slug="hub-iit-pilot")
    share = Indicator.objects.create(programme=pilot, **migration.ONE_THIRD)
    hoped = factories.ProgrammeFactory(
        slug="ntf-vi",
        name_en="Netherlands Trust Fund VI (hoped-for)",
        **{field: old for field, (old, _new) in migration.SEEDED_TEXTS["ntf-vi"].items()},
    )
    migration.keep_the_source_s_form(apps, None)
    share.refresh_from_db()
    hoped.refresh_from_db()
    assert (share.value_text_en, share.value_text_fr) == (ONE_THIRD["en"], ONE_THIRD["fr"])
    assert share.value == Decimal("33.33")
    assert hoped.existence == Existence.HOPED_FOR
    assert "undated" in hoped.description_en and "non daté" in hoped.description_fr
    assert hoped.history.latest().history_change_reason == "seed migration"


def test_the_migration_leaves_staff_edits(db):
    migration = importlib.import_module("programmes.migrations.0012_source_forms_and_hoped_for")
    pilot = factories.ProgrammeFactory(slug="hub-iit-pilot")
    share = Indicator.objects.create(
        programme=pilot, **{**migration.ONE_THIRD, "value": Decimal("34")}
    )
    renamed = factories.ProgrammeFactory(slug="ntf-vi", name_en="Netherlands Trust Fund VI")
    migration.keep_the_source_s_form(apps, None)
    share.refresh_from_db()
    renamed.refresh_from_db()
    assert share.value_text_en == "" and renamed.existence == Existence.CONFIRMED
