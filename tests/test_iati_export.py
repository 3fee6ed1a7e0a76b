"""Programmes as IATI 2.03 activity XML: valid against the official schema (the copy in
iati/schema), saying what the directory knows and no more, filtered like the list."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from lxml import etree

from iati import writing
from programmes.models import Programme
from tests import factories
from tests.helpers import count_queries, html, url

pytestmark = pytest.mark.django_db

SCHEMA = None


def validated(content):
    """The document, parsed, once the official schema has accepted it."""
    global SCHEMA  # noqa: PLW0603 - parsing the schema takes a second: once per run
    SCHEMA = SCHEMA or writing.schema()
    tree = etree.parse(io.BytesIO(content), etree.XMLParser(resolve_entities=False))
    assert SCHEMA.validate(tree), SCHEMA.error_log.filter_from_errors()
    return tree.getroot()


def activity(root, programme):
    found = root.xpath("iati-activity[other-identifier/@ref=$slug]", slug=programme.slug)
    assert len(found) == 1
    return found[0]


def texts(node, path):
    return ["".join(found.itertext()) for found in node.xpath(path)]


def test_every_seeded_and_demo_programme_makes_valid_iati(seeded):
    call_command("generate_demo_data", programmes=60, stdout=io.StringIO(), stderr=io.StringIO())
    programmes = writing.dated_only(Programme.objects.all())
    root = validated(writing.document(programmes, "http://testserver"))
    assert len(root) == programmes.count() > 60
    # The seed's programmes that no source dates (FISONG, the Netherlands Trust Fund...)
    assert Programme.objects.filter(slug__in=["fisong", "netherlands-trust-fund"]).count() == 2
    assert not programmes.filter(slug__in=["fisong", "netherlands-trust-fund"]).exists()
    assert root.get("version") == "2.03"


def some_programmes(count, country, sector, funder):
    for _ in range(count):
        programme = factories.ProgrammeFactory(
            countries=[country], sectors=[sector], start=datetime.date(2024, 1, 1)
        )
        factories.ProgrammeRoleFactory(programme=programme, organization=funder)
        factories.SiteFactory(programme=programme, country=country, latitude=14.7, longitude=-17.4)


def test_the_list_exports_as_filtered_and_in_a_fixed_number_of_queries(client, senegal):
    mali = factories.CountryFactory(code="ML")
    ict = factories.SectorFactory(slug="ict")
    funder = factories.OrganizationFactory(slug="afd", kind="government")
    some_programmes(2, senegal, ict, funder)
    factories.ProgrammeFactory(
        slug="in-mali", countries=[mali], sectors=[ict], start=datetime.date(2024, 1, 1)
    )
    address = url("iati-programmes")
    assert address == "/api/v1/programmes/iati.xml"

    def export():
        response = client.get(address, {"country": "SN", "sector": "ict"})
        assert response.status_code == 200
        return validated(b"".join(response.streaming_content))

    root = export()
    assert len(root) == 2
    assert set(root.xpath("iati-activity/recipient-country/@code")) == {"SN"}
    few = count_queries(export)
    some_programmes(20, senegal, ict, funder)
    assert len(export()) == 22
    assert count_queries(export) == few


@pytest.mark.parametrize(
    ("params", "status", "named"),
    [
        ({"country": "XXX"}, 400, "country"),
        ({"status": "asleep"}, 400, "status"),
        ({"year": "soon"}, 400, "year"),
        ({"country": "AA"}, 404, "country"),
        ({"funder": "nobody"}, 404, "funder"),
    ],
)
def test_a_bad_filter_answers_as_the_api_does_naming_it(client, senegal, params, status, named):
    response = client.get(url("iati-programmes"), params, HTTP_ACCEPT="application/xml")
    assert response.status_code == status
    assert named in response.json()


def test_past_the_streaming_limit_the_export_asks_for_filters(client, senegal, settings):
    settings.IATI_EXPORT_MAX_PROGRAMMES = 2
    for _ in range(3):
        factories.ProgrammeFactory()
    response = client.get(url("iati-programmes"))
    assert response.status_code == 400
    assert "More than 2 programmes match" in response.json()["detail"][0]


def test_one_programme_says_what_the_directory_knows_in_both_languages(client, senegal):
    source = factories.SourceFactory(
        url="https://example.org/report.pdf", published=datetime.date(2019, 1, 17)
    )
    ntf = factories.ProgrammeFactory(slug="ntf", name_en="Trust Fund", name_fr="Fonds fiduciaire")
    programme = factories.ProgrammeFactory(
        slug="ntf-v",
        name_en="Trust Fund V",
        name_fr="Fonds fiduciaire V",
        summary_en="Supports SMEs.",
        summary_fr="Appuie les PME.",
        parent=ntf,
        start=datetime.date(2021, 7, 1),
        start_precision="month",
        end=datetime.date(2025, 6, 30),
        end_precision="month",
        budget_amount=Decimal("71000000"),
        budget_currency="EUR",
        countries=[senegal],
        sources=[source],
    )
    itc = factories.OrganizationFactory(
        name_en="International Trade Centre",
        name_fr="Centre du commerce international",
        kind="international_agency",
        iati_identifier="XM-DAC-41116",
    )
    factories.ProgrammeRoleFactory(programme=programme, organization=itc, role="implementing")
    factories.ProgrammeRoleFactory(programme=programme, role="beneficiary")
    response = client.get(url("iati-programme", slug="ntf-v"))
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    node = activity(validated(b"".join(response.streaming_content)), programme)
    assert texts(node, "iati-identifier") == ["ZZ-DIRECTORY-ntf-v"]
    assert texts(node, "title/narrative[@xml:lang='fr']") == ["Fonds fiduciaire V"]
    assert texts(node, "description[@type='1']/narrative") == ["Supports SMEs.", "Appuie les PME."]
    # The beneficiary has no role in the standard: only the implementer, by its identifier.
    orgs = node.xpath("participating-org")
    assert [(o.get("role"), o.get("ref"), o.get("type")) for o in orgs] == [
        ("4", "XM-DAC-41116", "40")
    ]
    assert texts(orgs[0], "narrative") == [
        "International Trade Centre",
        "Centre du commerce international",
    ]
    dates = node.xpath("activity-date")
    assert [(d.get("type"), d.get("iso-date")) for d in dates] == [
        ("2", "2021-07-01"),
        ("3", "2025-06-30"),
    ]
    assert texts(dates[0], "narrative") == [
        "Known to the month: July 2021",
        "Connue au mois près : juillet 2021",
    ]
    assert node.xpath("budget/value/text()") == ["71000000.00"]
    assert node.xpath("budget/value/@currency") == ["EUR"]
    assert node.xpath("related-activity/@ref") == ["ZZ-DIRECTORY-ntf"]
    assert node.xpath("document-link/@format") == ["application/pdf"]
    assert node.xpath("document-link/document-date/@iso-date") == ["2019-01-17"]
    assert client.get(url("iati-programme", slug="nope")).status_code == 404


def test_what_the_standard_requires_and_the_directory_lacks_is_said(client, senegal):
    source = factories.SourceFactory(published=datetime.date(2019, 3, 1))
    programme = factories.ProgrammeFactory(slug="dated", start=datetime.date(2019, 1, 1))
    node = activity(
        validated(client.get(url("iati-programme", slug="dated")).getvalue()), programme
    )
    assert texts(node, "participating-org/narrative") == [
        "No organization is known for this programme.",
        "Aucune organisation n’est connue pour ce programme.",
    ]
    # A programme no source dates is not exported: the standard wants a start or an end,
    # and the directory does not make one up.
    factories.ProgrammeFactory(slug="undated", sources=[source], countries=[senegal])
    response = client.get(url("iati-programme", slug="undated"))
    assert response.status_code == 404
    assert "knows no date for this programme" in response.json()["detail"][0]
    root = validated(client.get(url("iati-programmes")).getvalue())
    assert root.xpath("iati-activity/other-identifier/@ref") == ["dated"]
    assert (
        root.xpath("comment()")[0]
        .text.strip()
        .startswith("Left out: 1 programmes of this list with no known date")
    )
    response = client.get(url("iati-programmes"), {"country": "SN"})
    assert response.status_code == 404
    assert "knows no date for the programmes matching" in response.json()["detail"][0]
    for language in ("en", "fr"):
        page = html(client.get(url("programmes:programme-detail", language, slug="undated")))
        assert "iati.xml" not in page


def test_a_draft_is_not_exported(client, senegal):
    factories.ProgrammeFactory(slug="draft", publication_status="draft")
    assert client.get(url("iati-programme", slug="draft")).status_code == 404
    # The standard has no empty document.
    response = client.get(url("iati-programmes"))
    assert response.status_code == 404
    assert response.json() == {"detail": ["No programme matches these filters."]}


def test_the_api_schema_documents_the_export(client, db):
    paths = client.get("/api/v1/schema/", {"format": "json"}).json()["paths"]
    listed = paths["/api/v1/programmes/iati.xml"]["get"]
    assert set(listed["responses"]) == {"200", "400", "404"}
    assert "application/xml" in listed["responses"]["200"]["content"]
    assert {"country", "sector", "funder"} <= {p["name"] for p in listed["parameters"]}
    assert set(paths["/api/v1/programmes/{slug}/iati.xml"]["get"]["responses"]) == {"200", "404"}


@pytest.mark.parametrize(
    ("language", "list_label", "page_label"),
    [
        ("en", "These results as IATI XML", "This programme as IATI XML"),
        ("fr", "Ces résultats en XML IATI", "Ce programme en XML IATI"),
    ],
)
def test_the_list_and_the_page_link_their_iati_xml(
    client, senegal, language, list_label, page_label
):
    factories.ProgrammeFactory(slug="ntf-v", countries=[senegal], start=datetime.date(2021, 7, 1))
    page = html(client.get(url("programmes:programme-list", language), {"country": "SN"}))
    assert f'<a href="/api/v1/programmes/iati.xml?country=SN">{list_label}</a>' in page
    page = html(client.get(url("programmes:programme-detail", language, slug="ntf-v")))
    assert f'<a href="/api/v1/programmes/ntf-v/iati.xml">{page_label}</a>' in page
    # Other types have no such link.
    factories.OrganizationFactory(slug="itc")
    assert "IATI" not in html(client.get(url("members:organization-detail", language, slug="itc")))


def test_the_open_dataset_holds_the_programmes_as_iati(client, senegal, tmp_path, settings):
    from ecosystem.opendata.housekeeping import publish_dataset

    factories.ProgrammeFactory(slug="ntf-v", countries=[senegal], start=datetime.date(2021, 7, 1))
    factories.ProgrammeFactory(slug="ntf-vi", existence="hoped_for")
    settings.DATASET_DIR = tmp_path / "dataset"
    publish_dataset(settings.DATASET_DIR, "https://example.org")
    response = client.get("/dataset/programmes-iati.xml")
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    root = validated(b"".join(response.streaming_content))
    # As the list: the programmes that exist.
    assert root.xpath("iati-activity/other-identifier/@ref") == ["ntf-v"]
    readme = b"".join(client.get("/dataset/").streaming_content).decode()
    assert "| `programmes-iati.xml` | 1 | Programmes as IATI 2.03 activity XML" in readme
