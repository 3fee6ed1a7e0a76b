"""The seed command loads the real ecosystem from the four documents, completely and
idempotently, and says exactly which record is wrong when the file is."""

import datetime
from decimal import Decimal

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.utils import translation

from ecosystem.models import Country, Sector, Source
from events.models import Event, EventRole, EventSeries
from members.models import Membership, Organization
from programmes.models import Indicator, Programme, ProgrammeRole, Site

pytestmark = pytest.mark.django_db

MODELS = [
    Source,
    Country,
    Sector,
    Organization,
    Membership,
    Programme,
    ProgrammeRole,
    Site,
    Indicator,
    EventSeries,
    Event,
    EventRole,
]

# What each document names, by the document's file name.
DOCUMENTS = {
    "000_a24fd8ffef3c98a1.txt": {
        Organization: [
            "optic",
            "itc",
            "netherlands-mfa",
            "digital-senegal-consortium",
            "sen-startup",
        ],
        Programme: ["netherlands-trust-fund", "ntf-iv", "ntf-v"],
        EventSeries: ["sipen", "vivatech", "africarena", "gitex-international"],
    },
    "001_55204b742dfac3b7.txt": {
        Organization: [
            "itc",
            "asepex",
            "optic",
            "senegal-ministry-commerce-smes",
            "government-of-senegal",
        ],
        Programme: ["ntf-iv", "plan-senegal-numerique", "senegal-it-bpo-export-strategy"],
        Event: ["it-bpo-sector-consultation-1-dakar-2018", "it-bpo-sector-consultation-2-2018"],
    },
    "002_200cc65a3a36f65e.txt": {
        Organization: ["elgazala-technopark", "senegal-ministry-posts-telecom", "afdb"],
        Programme: ["ptn-diamniadio", "elgazala-ptn-partnership"],
        Event: ["elgazala-technopark-study-visit-2017"],
    },
    "003_c3c78c56ad4907d3.txt": {
        Organization: [
            "tech-dev",
            "afd",
            "apep",
            "amassa-afrique-verte-mali",
            "fondation-avril",
            "enda-graf-sahel",
            "bet-al-nadjah",
        ],
        Programme: ["hub-iit", "hub-iit-pilot", "hub-iit-deployment", "fisong"],
        Event: ["inter-hub-iit-training-senegal-2019", "hub-iit-mission-burkina-faso-2019"],
    },
}


def snapshot():
    """Every row of every model, without the timestamps a save refreshes."""
    return {
        model.__name__: sorted(
            (
                tuple(sorted((k, str(v)) for k, v in row.items() if k not in {"updated"}))
                for row in model.objects.values()
            ),
        )
        for model in MODELS
    }


def test_seeding_twice_gives_the_same_database(seeded):
    first = snapshot()
    call_command("seed_ecosystem", verbosity=0)
    assert snapshot() == first
    assert Organization.objects.count() >= 18


@pytest.mark.parametrize("document", DOCUMENTS)
def test_each_document_is_seeded_with_its_source(seeded, document):
    source = Source.objects.get(document=document)
    for model, slugs in DOCUMENTS[document].items():
        cited = set(model.objects.filter(sources=source).values_list("slug", flat=True))
        assert set(slugs) <= cited, f"{model.__name__} not citing {document}"


def test_every_record_cites_a_source_and_is_published(seeded):
    for model in (Organization, Programme, Event):
        assert not model.objects.filter(sources=None).exists()
        assert model.objects.count() == model.objects.published().count()


def test_ntf_v_is_seeded_as_the_document_says(seeded):
    ntf_v = Programme.objects.get(slug="ntf-v")
    assert ntf_v.parent.slug == "netherlands-trust-fund"
    assert (ntf_v.start, ntf_v.end) == (datetime.date(2021, 7, 1), datetime.date(2025, 6, 30))
    assert set(ntf_v.countries.values_list("code", flat=True)) == {
        "BJ",
        "CI",
        "ET",
        "GH",
        "ML",
        "SN",
        "UG",
    }
    roles = set(ntf_v.roles.values_list("organization__slug", "role"))
    assert {("netherlands-mfa", "funding"), ("itc", "implementing")} <= roles
    with translation.override("en"):
        assert ntf_v.period == "July 2021 – June 2025"
    with translation.override("fr"):
        assert ntf_v.period == "juillet 2021 – juin 2025"


def test_the_hub_iit_network_has_its_hubs_and_figures(seeded):
    deployment = Programme.objects.get(slug="hub-iit-deployment")
    cities = set(deployment.sites.values_list("city", flat=True))
    assert {"Bamako", "Sikasso", "Ziguinchor", "Ouagadougou", "Bobo-Dioulasso"} <= cities
    assert deployment.sites.count() == 7
    assert set(deployment.sites.values_list("country", flat=True)) == {"ML", "SN", "TD", "BF"}
    pilot = Programme.objects.get(slug="hub-iit-pilot")
    figures = {(i.qualifier, i.value) for i in pilot.indicators.all()}
    assert {
        ("at_least", Decimal(100)),
        ("exact", Decimal(240)),
        ("at_least", Decimal(300)),
    } <= figures
    assert ("target", Decimal(18)) in {(i.qualifier, i.value) for i in deployment.indicators.all()}


def test_the_first_consultation_is_dated_to_the_day(seeded):
    consultation = Event.objects.get(slug="it-bpo-sector-consultation-1-dakar-2018")
    assert consultation.kind == "consultation"
    assert consultation.status == "held"
    with translation.override("fr"):
        assert consultation.period == "4–5 juillet 2018"
    assert {"itc", "asepex", "optic"} <= set(
        consultation.roles.values_list("organization__slug", flat=True)
    )


def test_the_ptn_budget_keeps_its_qualifier(seeded):
    ptn = Programme.objects.get(slug="ptn-diamniadio")
    assert (ptn.budget_amount, ptn.budget_currency, ptn.budget_qualifier) == (
        Decimal(71_000_000),
        "EUR",
        "about",
    )
    assert ptn.roles.filter(organization__slug="afdb", role="funding").exists()


def test_country_names_come_from_iso_data_in_both_languages(seeded):
    chad = Country.objects.get(code="TD")
    assert (chad.name_en, chad.name_fr) == ("Chad", "Tchad")
    with translation.override("fr"):
        assert str(Country.objects.get(code="CH")) == "Suisse"


def write(tmp_path, data):
    path = tmp_path / "seed.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


SOURCE = {"key": "doc", "title": "A document", "language": "en", "document": "doc.txt"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {
                "sources": [SOURCE],
                "organizations": [
                    {
                        "slug": "x",
                        "name_en": "X",
                        "name_fr": "X",
                        "kind": "guild",
                        "sources": ["doc"],
                    }
                ],
            },
            "organizations 'x', field 'kind'",
        ),
        (
            {
                "sources": [SOURCE],
                "organizations": [
                    {
                        "slug": "x",
                        "name_en": "X",
                        "name_fr": "X",
                        "kind": "ngo",
                        "sources": ["nope"],
                    }
                ],
            },
            "organizations 'x', field 'sources': no source 'nope'",
        ),
        (
            {
                "sources": [SOURCE],
                "programmes": [
                    {
                        "slug": "p",
                        "name_en": "P",
                        "name_fr": "P",
                        "start": "July 2021",
                        "sources": ["doc"],
                    }
                ],
            },
            "programmes 'p', field 'start': 'July 2021' is not a date",
        ),
        (
            {
                "sources": [SOURCE],
                "programmes": [
                    {
                        "slug": "p",
                        "name_en": "P",
                        "name_fr": "P",
                        "start": "2023",
                        "end": "2018",
                        "sources": ["doc"],
                    }
                ],
            },
            "programmes 'p', field '__all__': The end cannot be before the start.",
        ),
        (
            {
                "sources": [SOURCE],
                "organizations": [{"slug": "x", "name_en": "X", "name_fr": "X", "kind": "ngo"}],
            },
            "organizations 'x', field 'sources': every seeded record cites at least one source",
        ),
    ],
)
def test_a_bad_record_is_named_with_its_field(tmp_path, data, message):
    with translation.override("en"), pytest.raises(CommandError) as error:
        call_command("seed_ecosystem", file=write(tmp_path, data), verbosity=0)
    assert message in str(error.value)
    assert not Organization.objects.exists()  # nothing half-loaded


def test_a_missing_key_field_is_named(tmp_path):
    data = {"sources": [SOURCE], "programmes": [{"name_en": "P", "sources": ["doc"]}]}
    with pytest.raises(CommandError, match="programmes None, field 'slug': is required"):
        call_command("seed_ecosystem", file=write(tmp_path, data), verbosity=0)


@pytest.mark.parametrize("content", [None, "sources: [unclosed", "- just\n- a list\n"])
def test_an_unreadable_file_is_a_message(tmp_path, content):
    path = tmp_path / "seed.yaml"
    if content is not None:
        path.write_text(content)
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("seed_ecosystem", file=path, verbosity=0)


def test_it_reports_what_it_did(tmp_path, capsys):
    call_command("seed_ecosystem", file=write(tmp_path, {"sources": [SOURCE]}))
    assert "sources: 1 created" in capsys.readouterr().out
