"""The seed command loads the real ecosystem from the four documents, completely, says
exactly which record is wrong when the file is, and never undoes what staff did."""

import datetime
import io
from decimal import Decimal

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.utils import translation

from ecosystem.core.models import Country, Sector, Source
from ecosystem.opendata import seeding
from events.models import Event, EventSeries
from members.models import Organization
from programmes.models import Programme, ProgrammeRole
from tests.helpers import admin_url, database_rows, edit

pytestmark = pytest.mark.django_db

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


def test_seeding_again_changes_nothing(seeded):
    before = database_rows()
    call_command("seed_ecosystem", verbosity=0)
    assert database_rows() == before  # history and "updated" included
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
        ("more_than", Decimal(100)),  # "plus de 100"
        ("exact", Decimal(240)),
        ("more_than", Decimal(300)),
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


# Staff work survives a re-seed ----------------------------------------------------------


def staff_work():
    """What a staff member does after the first seed, as the issue found it undone."""
    itc = Organization.objects.get(slug="itc")
    itc.acronym = "CCI"
    itc.description_en = "Edited by staff."
    itc.save()
    optic = Organization.objects.get(slug="optic")  # the file states no website, city, year
    optic.website, optic.hq_city, optic.founded = "https://optic.sn", "Dakar", 2003
    optic.save()
    ntf_v = Programme.objects.get(slug="ntf-v")
    ntf_v.countries.add(Country.objects.create(code="NE", region="west_africa"))
    Programme.objects.get(slug="fisong").roles.get(organization__slug="afd").delete()
    for slug, status in [("asepex", "draft"), ("apep", "archived")]:
        organization = Organization.objects.get(slug=slug)
        organization.publication_status = status
        organization.save()
    return {
        slug: Organization.objects.get(slug=slug).updated
        for slug in ("itc", "optic", "asepex", "apep", "afd")
    }


def test_a_reseed_leaves_staff_work_exactly_as_it_is(seeded):
    staff_work()
    before = database_rows()
    call_command("seed_ecosystem", verbosity=0)
    assert database_rows() == before
    assert not ProgrammeRole.objects.filter(programme__slug="fisong", organization__slug="afd")


def file_with(tmp_path, section, slug, **values):
    """The seed file with one record's values changed, as a new version of it would."""
    data = seeding.read()
    next(item for item in data[section] if item["slug"] == slug).update(values)
    return write(tmp_path, data)


def test_update_changes_only_what_the_file_states(seeded, capsys, tmp_path):
    updated = staff_work()
    file = file_with(tmp_path, "organizations", "itc", summary_en="A new summary.")
    call_command("seed_ecosystem", file=file, update=True, verbosity=2)
    itc = Organization.objects.get(slug="itc")
    assert itc.summary_en == "A new summary."  # the seed wrote it last: the file's value
    assert (itc.acronym, itc.description_en) == ("CCI", "Edited by staff.")  # staff's
    assert itc.updated > updated["itc"]
    optic = Organization.objects.get(slug="optic")  # the file is silent: staff's values stay
    assert (optic.website, optic.hq_city, optic.founded) == ("https://optic.sn", "Dakar", 2003)
    assert optic.updated == updated["optic"]
    assert "NE" in Programme.objects.get(slug="ntf-v").countries.values_list("code", flat=True)
    assert Organization.objects.get(slug="asepex").publication_status == "draft"
    assert Organization.objects.get(slug="apep").publication_status == "archived"
    # A role staff deleted is not brought back, and nothing else was touched.
    assert not ProgrammeRole.objects.filter(programme__slug="fisong", organization__slug="afd")
    for slug in ("asepex", "apep", "afd"):
        assert Organization.objects.get(slug=slug).updated == updated[slug]
    out = capsys.readouterr().out
    assert "updated organization 'itc': summary_en" in out
    assert "organization 'itc': kept staff's changes to acronym, description_en" in out
    assert "programme role 'fisong / afd / funding': deleted by staff, not brought back" in out
    assert "organizations: 1 updated" in out


def test_the_seed_and_its_reason_are_in_the_history(seeded, tmp_path):
    staff_work()
    file = file_with(tmp_path, "organizations", "itc", summary_en="A new summary.")
    call_command("seed_ecosystem", file=file, update=True, verbosity=0)
    latest, staff_edit = Organization.objects.get(slug="itc").history.all()[:2]
    assert latest.history_change_reason == "seed seed.yaml"
    assert staff_edit.history_change_reason == "shell"
    assert (staff_edit.acronym, latest.acronym) == ("CCI", "CCI")
    assert [change.field for change in latest.diff_against(staff_edit).changes] == ["summary_en"]


def test_without_update_differences_are_reported_not_applied(seeded, capsys):
    staff_work()
    call_command("seed_ecosystem", verbosity=2)
    out = capsys.readouterr().out
    assert "skipped organization 'itc': kept; the file differs in acronym, description_en" in out
    assert "organizations: 1 skipped" in out
    assert "--update applies the file's values" in out
    assert Organization.objects.get(slug="itc").acronym == "CCI"


def test_a_record_new_in_the_file_is_added_to_a_seeded_database(seeded, tmp_path):
    data = seeding.read()
    data["organizations"].append(
        {
            "slug": "new-hub",
            "name_en": "New hub",
            "name_fr": "Nouveau hub",
            "kind": "technopark",
            "countries": ["SN"],
            "sources": ["optic-ntf-v"],
        }
    )
    data["programmes"][0]["roles"].append(
        {"organization": "new-hub", "role": "partner", "source": "optic-ntf-v"}
    )
    before = Programme.objects.get(slug=data["programmes"][0]["slug"]).updated
    call_command("seed_ecosystem", file=write(tmp_path, data), verbosity=0)
    assert Organization.objects.get(slug="new-hub").is_published
    # The new role belongs to an existing programme: only --update adds it.
    programme = Programme.objects.get(slug=data["programmes"][0]["slug"])
    assert not programme.roles.filter(organization__slug="new-hub")
    assert programme.updated == before
    call_command("seed_ecosystem", file=write(tmp_path, data), update=True, verbosity=0)
    assert programme.roles.filter(organization__slug="new-hub", role="partner")


def test_a_record_staff_renamed_is_found_not_made_again(seeded, capsys):
    for model, old, new in [
        (Organization, "itc", "intracen"),
        (Programme, "hub-iit", "hub-iit-network"),
        (Sector, "agritech", "agri-tech"),
    ]:
        record = model.objects.get(slug=old)
        record.slug = new
        record.save()
    before = database_rows()
    call_command("seed_ecosystem", verbosity=0)
    assert database_rows() == before
    call_command("seed_ecosystem", update=True, verbosity=0)
    assert not Organization.objects.filter(slug="itc").exists()
    assert Programme.objects.get(slug="hub-iit-pilot").parent.slug == "hub-iit-network"
    assert Sector.objects.filter(name_en=Sector.objects.get(slug="agri-tech").name_en).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"countries": 5}, "countries: expected a list of records, each with its 'code'"),
        ({"countries": ["SN"]}, "countries: expected a list of records"),
        ({"sources": [{"title": "No key"}]}, "sources None, field 'key': is required"),
    ],
)
def test_a_malformed_section_is_a_message(tmp_path, data, message):
    with pytest.raises(CommandError) as error:
        call_command("seed_ecosystem", file=write(tmp_path, data), verbosity=0)
    assert message in str(error.value)


def test_the_export_strategy_is_part_of_ntf_iv_as_the_document_says(client, seeded):
    strategy = Programme.objects.get(slug="senegal-it-bpo-export-strategy")
    assert strategy.parent.slug == "ntf-iv"
    # Its consultations count among NTF IV's events.
    events = client.get("/api/v1/events/?programme=ntf-iv").json()["results"]
    assert "it-bpo-sector-consultation-1-dakar-2018" in {event["slug"] for event in events}


# Staff deleted, renamed or relinked records never break the seed ------------------------


def seed_output(**options):
    """What `seed_ecosystem` prints with these options (it must not fail)."""
    out = io.StringIO()
    call_command("seed_ecosystem", stdout=out, **options)
    return out.getvalue()


def test_what_names_a_record_staff_deleted_is_skipped_and_reported(seeded, staff_client):
    # The issue: staff delete Tech-Dev, and `make run` (migrate, seed) no longer started.
    tech_dev = Organization.objects.get(slug="tech-dev")
    staff_client.post(admin_url(Organization, "delete", tech_dev.pk), {"post": "yes"})
    assert not Organization.objects.filter(slug="tech-dev").exists()
    before = database_rows()
    for options in ({}, {"update": True}):
        out = seed_output(**options)
        assert database_rows() == before  # nothing brought back, nothing else touched
        assert "organization 'tech-dev': deleted by staff, not brought back" in out
        # Each of its three roles in the file is named, with why.
        assert out.count("its organization 'tech-dev' was deleted by staff") == 3
        assert "programme role 'hub-iit-pilot / tech-dev / implementing'" in out


def test_a_new_record_leaves_out_what_staff_deleted(seeded, tmp_path):
    # A series cannot be deleted while events name it: staff delete those first.
    Event.objects.filter(series__slug="it-bpo-export-strategy-consultations").delete()
    for model, slug in [
        (Organization, "tech-dev"),
        (Programme, "elgazala-ptn-partnership"),
        (EventSeries, "it-bpo-export-strategy-consultations"),
        (Source, "afd-website"),
    ]:
        model.objects.get(slug=slug).delete()
    data = seeding.read()
    data["programmes"].append(
        {
            "slug": "hub-iit-extension",
            "name_en": "HUB-IIT extension",
            "name_fr": "Extension du HUB-IIT",
            "parent": "hub-iit",
            "sources": ["hub-iit-techdev", "afd-website"],
            "roles": [
                {"organization": "tech-dev", "role": "implementing", "source": "hub-iit-techdev"},
                {"organization": "afd", "role": "funding", "source": "hub-iit-techdev"},
            ],
            "sites": [
                {
                    "name": "Hub-IIT Kayes",
                    "city": "Kayes",
                    "country": "ML",
                    "host": "tech-dev",
                    "source": "hub-iit-techdev",
                }
            ],
        }
    )
    data["events"].append(
        {
            "slug": "elgazala-return-visit-2018",
            "name_en": "Elgazala return visit",
            "name_fr": "Visite retour d’Elgazala",
            "kind": "study_visit",
            "start": "2018",
            "series": "it-bpo-export-strategy-consultations",
            "programme": "elgazala-ptn-partnership",
            "sources": ["elgazala-ptn-visit-2017"],
        }
    )
    out = seed_output(file=write(tmp_path, data), update=True)
    extension = Programme.objects.get(slug="hub-iit-extension")
    assert extension.parent.slug == "hub-iit"
    assert set(extension.roles.values_list("organization__slug", flat=True)) == {"afd"}
    assert list(extension.sources.values_list("slug", flat=True)) == ["hub-iit-techdev"]
    site = extension.sites.get()
    assert (site.name, site.host) == ("Hub-IIT Kayes", None)
    visit = Event.objects.get(slug="elgazala-return-visit-2018")
    assert (visit.series, visit.programme) == (None, None)
    assert not Organization.objects.filter(slug="tech-dev").exists()
    assert "event 'it-bpo-sector-consultation-1-dakar-2018': deleted by staff" in out
    for line in [
        "programme role 'hub-iit-extension / tech-dev / implementing': skipped, "
        "its organization 'tech-dev' was deleted by staff",
        "programme 'hub-iit-extension': sources left out: source 'afd-website' was deleted "
        "by staff",
        "site 'hub-iit-extension / Hub-IIT Kayes': host left out: organization 'tech-dev' "
        "was deleted by staff",
        "event 'elgazala-return-visit-2018': series left out: event series "
        "'it-bpo-export-strategy-consultations' was deleted by staff",
        "event 'elgazala-return-visit-2018': programme left out: programme "
        "'elgazala-ptn-partnership' was deleted by staff",
    ]:
        assert line in out


# --update applies the file's values, never over staff's ---------------------------------


def edit_afd(staff_client):
    """The issue's case: staff change AFD's acronym, summary and website, and remove
    a country, in the admin."""
    afd = Organization.objects.get(slug="afd")
    edit(
        staff_client,
        afd,
        acronym="AFD Group",
        summary_en="France's development bank.",
        website="https://www.afd.fr/en",
        countries=[code for code in afd.countries.values_list("code", flat=True) if code != "ML"],
    )
    return afd


def test_update_never_undoes_what_staff_changed(seeded, staff_client, tmp_path):
    afd = edit_afd(staff_client)
    before = database_rows()
    out = seed_output(update=True)  # the issue: this put AFD's values back
    assert database_rows() == before
    assert "organizations: 1 skipped" in out
    assert (
        "organization 'afd': kept staff's changes to acronym, summary_en, website, "
        "countries (ML)" in out
    )
    data = seeding.read()
    item = next(item for item in data["organizations"] if item["slug"] == "afd")
    # The file changes fields the seed wrote last (applied) and one staff changed (kept).
    item.update(acronym="AFD-FR", description_en="New text.", hq_city="Paris 12e")
    item["countries"].append("CI")
    out = seed_output(file=write(tmp_path, data), update=True)
    afd.refresh_from_db()
    assert (afd.acronym, afd.summary_en, afd.website) == (
        "AFD Group",
        "France's development bank.",
        "https://www.afd.fr/en",
    )
    assert set(afd.countries.values_list("code", flat=True)) == {"SN", "TD", "BF", "CI"}
    assert (afd.description_en, afd.hq_city) == ("New text.", "Paris 12e")
    assert (
        "organization 'afd': kept staff's changes to acronym, summary_en, website, "
        "countries (ML)" in out
    )
    assert "organizations: 1 updated" in out
    # The seed's own version holds staff's values too: they stay staff's at the next run.
    item.update(description_en="Newer text.", website="https://afd.fr")
    out = seed_output(file=write(tmp_path, data), update=True, verbosity=2)
    afd.refresh_from_db()
    assert (afd.acronym, afd.website, afd.description_en) == (
        "AFD Group",
        "https://www.afd.fr/en",
        "Newer text.",
    )
    assert "ML" not in afd.countries.values_list("code", flat=True)
    assert "updated organization 'afd': description_en" in out
    latest, previous, staff_edit = afd.history.all()[:3]
    assert [version.history_change_reason for version in (latest, previous)] == [
        "seed seed.yaml",
        "seed seed.yaml",
    ]
    assert staff_edit.history_change_reason == "admin-form"


def test_a_record_staff_made_before_the_file_named_it_stays_theirs(db, tmp_path):
    Source.objects.create(slug="doc", title="Staff's title", language="en", document="doc.txt")
    out = seed_output(file=write(tmp_path, {"sources": [SOURCE]}), update=True)
    assert Source.objects.get(slug="doc").title == "Staff's title"
    assert "source 'doc': kept staff's changes to title" in out
    assert "sources: 1 skipped" in out


def test_a_link_that_no_longer_fits_what_staff_relinked_is_left_out(tmp_path):
    sectors = [
        {"slug": "trade", "name_en": "Trade", "name_fr": "Commerce"},
        {"slug": "agribusiness", "name_en": "Agribusiness", "name_fr": "Agro-industrie"},
    ]
    call_command("seed_ecosystem", file=write(tmp_path, {"sectors": sectors}), verbosity=0)
    trade = Sector.objects.get(slug="trade")
    trade.parent = Sector.objects.get(slug="agribusiness")  # staff: trade is a sub-sector
    trade.save()
    # The file, later, adds sub-sectors of trade: one named before it, one after.
    sectors.insert(0, {"slug": "e-export", "name_en": "E-export", "name_fr": "E-export"})
    sectors[0]["parent"] = "trade"
    sectors.append({"slug": "fairs", "parent": "trade", "name_en": "Fairs", "name_fr": "Foires"})
    out = seed_output(file=write(tmp_path, {"sectors": sectors}))
    assert Sector.objects.get(slug="e-export").parent is None
    assert Sector.objects.get(slug="fairs").parent is None
    assert Sector.objects.get(slug="trade").parent.slug == "agribusiness"
    for slug in ("e-export", "fairs"):
        assert (
            f"sector '{slug}': parent left out: it does not fit sector 'trade' as staff left "
            "it (A sub-sector cannot have sub-sectors: choose a main sector.)"
        ) in out
    # Both new in a file: a sub-sector of a sub-sector is the file's own mistake.
    broken = [
        {"slug": "a", "name_en": "A", "name_fr": "A"},
        {"slug": "b", "parent": "a", "name_en": "B", "name_fr": "B"},
        {"slug": "c", "parent": "b", "name_en": "C", "name_fr": "C"},
    ]
    with pytest.raises(CommandError, match="sectors 'c', field 'parent': A sub-sector"):
        call_command("seed_ecosystem", file=write(tmp_path, {"sectors": broken}), verbosity=0)


def test_the_help_says_what_update_does():
    from ecosystem.management.commands.seed_ecosystem import Command

    text = " ".join(Command().create_parser("manage.py", "seed_ecosystem").format_help().split())
    assert "--update Apply the file's values to existing records where they differ" in text
    assert "except the fields and relations staff changed since the seed wrote them" in text


# The same on a small file, for the cases the real data does not need -------------------


def small_file(tmp_path, **changes):
    """A source, a country, an organization and a programme with a site, as the seed
    file gives them; `changes` update the organization's or the programme's values."""
    site = {
        "name": "Hub",
        "city": "Dakar",
        "country": "SN",
        "latitude": 14.7,
        "longitude": -17.4,
        "source": "doc",
        "location_source": "doc",
    }
    organization = {
        "slug": "afd",
        "name_en": "AFD",
        "name_fr": "AFD",
        "kind": "funder",
        "countries": ["SN"],
        "sources": ["doc"],
    }
    programme = {
        "slug": "p",
        "name_en": "P",
        "name_fr": "P",
        "start": "2021-07",
        "end": "2025-06",
        "sources": ["doc"],
        "roles": [{"organization": "afd", "role": "funding", "source": "doc"}],
        "sites": [site],
    }
    for key, value in changes.items():
        record, _, field = key.partition("__")
        {"organization": organization, "programme": programme, "site": site}[record][field] = value
    data = {
        "sources": [SOURCE],
        "countries": [{"code": "SN", "region": "west_africa"}],
        "organizations": [organization],
        "programmes": [programme],
    }
    return write(tmp_path, data)


@pytest.fixture
def small(db, tmp_path):
    call_command("seed_ecosystem", file=small_file(tmp_path), verbosity=0)


def test_a_record_staff_renamed_then_deleted_is_not_brought_back(small, tmp_path):
    afd = Organization.objects.get(slug="afd")
    afd.slug, afd.name_en = "afd-paris", "AFD Paris"
    afd.save()
    afd.delete()
    before = database_rows()
    out = seed_output(file=small_file(tmp_path), update=True)
    assert database_rows() == before
    assert "organization 'afd': deleted by staff, not brought back" in out
    assert "programme role 'p / afd / funding': skipped, its organization 'afd' was " in out


def test_a_record_whose_every_source_is_deleted_is_not_created(small, tmp_path):
    Source.objects.create(slug="gone", title="Gone", language="en", document="g.txt").delete()
    file = small_file(
        tmp_path,
        organization__slug="afd-paris",
        organization__sources=["gone"],
        programme__roles=[{"organization": "afd-paris", "role": "partner", "source": "doc"}],
    )
    out = seed_output(file=file, update=True)
    assert not Organization.objects.filter(slug="afd-paris").exists()
    assert (
        "organization 'afd-paris': not created: every source it cites was deleted by staff" in out
    )
    assert "its organization 'afd-paris' was not created" in out  # its role in 'p'


def test_a_file_value_that_no_longer_fits_staff_changes_skips_the_record(small, tmp_path):
    programme = Programme.objects.get(slug="p")
    programme.end = datetime.date(2022, 1, 31)  # staff: it ended early
    programme.save()
    before = database_rows()
    # The file: it started later. Each is right alone; together they cannot stand.
    out = seed_output(file=small_file(tmp_path, programme__start="2022-06"), update=True)
    assert database_rows() == before
    assert (
        "programme 'p': kept as it is: the file's values do not fit staff's changes "
        "(__all__: The end cannot be before the start.)" in out
    )


def test_a_broken_value_for_an_existing_record_still_stops_the_load(small, tmp_path):
    file = small_file(tmp_path, organization__kind="guild", programme__name_en="New name")
    with pytest.raises(CommandError, match="organizations 'afd', field 'kind'"):
        call_command("seed_ecosystem", file=file, update=True, verbosity=0)
    assert Programme.objects.get(slug="p").name_en == "P"  # nothing half-loaded


def test_a_point_staff_moved_is_kept_whole(small, tmp_path):
    site = Programme.objects.get(slug="p").sites.get()
    site.latitude = Decimal("14.75")  # staff move the point
    site.save()
    # The file corrects the other half, and a field the seed wrote last.
    file = small_file(tmp_path, site__longitude=-17.45, site__city="Dakar (Plateau)")
    out = seed_output(file=file, update=True)
    site.refresh_from_db()
    assert (site.latitude, site.longitude) == (Decimal("14.7500"), Decimal("-17.4000"))
    assert site.city == "Dakar (Plateau)"
    assert "site 'p / Hub': kept staff's changes to latitude, longitude" in out


def test_rows_staff_renamed_or_relinked_are_found_not_made_again(small, tmp_path):
    programme = Programme.objects.get(slug="p")
    site = programme.sites.get()
    site.name = "Dakar hub"
    site.save()
    role = programme.roles.get()
    role.role = "partner"
    role.save()
    afd = Organization.objects.get(slug="afd")
    afd.slug, afd.name_en = "afd-group", "AFD Group"
    afd.save()
    before = database_rows()
    for options in ({}, {"update": True}):
        out = seed_output(file=small_file(tmp_path), **options)
        assert database_rows() == before  # found by its seeded key: none made again
    assert "organization 'afd': kept staff's changes to name_en" in out
    assert [site.name for site in programme.sites.all()] == ["Dakar hub"]
    assert list(programme.roles.values_list("role", flat=True)) == ["partner"]
