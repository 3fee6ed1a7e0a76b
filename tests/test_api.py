"""The JSON API: published records only, DESIGN.md's fields, the pages' filters, 400 for
a bad value naming the parameter, an OpenAPI schema that generates without warnings."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests import factories
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


def get(client, path, **params):
    return client.get(f"/api/v1/{path}", params, HTTP_ACCEPT_LANGUAGE="en")


def test_a_programme_list_has_the_contract_shape(client, world):
    response = get(client, "programmes/", country="SN", status="active")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "count_capped", "next", "previous", "results"}
    assert body["count"] == 1
    assert body["count_capped"] is False
    record = body["results"][0]
    assert record["slug"] == "agri-senegal"
    assert record["name"] == "Agri Senegal"
    assert record["url"] == "http://testserver/en/programmes/agri-senegal/"
    assert record["countries"] == ["SN"]
    assert record["sectors"] == ["agri-food"]
    assert record["status"] == "active"
    assert record["start"].endswith("-07-01") and record["start_precision"] == "month"
    assert {"organization": "afd", "role": "funding", "source": None} in record["roles"]
    assert {"organization": "optic", "role": "partner", "source": None} in record["roles"]


def test_queries_do_not_grow_with_rows(client, world):
    def add(count):
        for _ in range(count):
            programme = factories.ProgrammeFactory(countries=[world["SN"]])
            factories.ProgrammeRoleFactory(programme=programme, organization=world["afd"])
            factories.SiteFactory(programme=programme, country=world["SN"])
            factories.IndicatorFactory(programme=programme)

    add(1)
    listed = get(client, "programmes/", country="SN").json()["count"]
    one = count_queries(lambda: get(client, "programmes/", country="SN"))
    add(9)  # tenfold
    assert get(client, "programmes/", country="SN").json()["count"] == listed + 9
    assert count_queries(lambda: get(client, "programmes/", country="SN")) == one


def test_a_script_pulls_programmes_active_in_senegal_in_a_year_with_their_funders(client, world):
    year = timezone.localdate().year
    body = get(client, "programmes/", country="SN", year=year).json()
    funders = {
        record["slug"]: [r["organization"] for r in record["roles"] if r["role"] == "funding"]
        for record in body["results"]
    }
    assert funders == {"agri-senegal": ["afd"]}


def test_details_by_slug_and_code(client, world):
    assert get(client, "programmes/digital-mali/").json()["sites"] == []
    organization = get(client, "organizations/optic/").json()
    assert organization["kind"] == "association"
    assert organization["countries"] == ["SN"]
    event = get(client, "events/consultation-dakar/").json()
    assert event["kind"] == "consultation"
    assert event["country"] == "SN"
    assert {"organization": "itc", "role": "organizer", "source": None} in event["roles"]
    assert get(client, "countries/sn/").json()["name_fr"] == "Sénégal"
    assert get(client, "sectors/it-bpo/").json()["parent"] == "digital-technology"
    assert get(client, "smes/agro-thies/").json()["kind"] == "sme"


def test_drafts_are_not_in_the_api(client, world):
    assert get(client, "programmes/draft-programme/").status_code == 404
    assert get(client, "organizations/hidden-org/").status_code == 404
    slugs = [r["slug"] for r in get(client, "programmes/", page_size=500).json()["results"]]
    assert "draft-programme" not in slugs
    roles = get(client, "programmes/agri-senegal/").json()["roles"]
    assert all(role["organization"] != "hidden-org" for role in roles)


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("programmes/", {"country": "XXX"}, "country"),
        ("programmes/", {"sector": "no pe"}, "sector"),
        ("programmes/", {"status": "finished"}, "status"),
        ("programmes/", {"year": "abc"}, "year"),
        ("programmes/", {"funder": "nobody?"}, "funder"),
        ("programmes/", {"page": "0"}, "page"),
        ("programmes/", {"sort": "sideways"}, "sort"),
        ("programmes/", {"q": "x" * 300}, "q"),
        ("organizations/", {"kind": "guild"}, "kind"),
        ("events/", {"when": "soon"}, "when"),
        ("events/", {"series": "no/pe"}, "series"),
        # A well-formed value among them does not hide the bad one.
        ("programmes/", {"country": ["AA", "XXX"]}, "country"),
        ("programmes/", {"country": "AA", "year": "abc"}, "year"),
    ],
)
def test_a_bad_value_is_a_400_naming_the_parameter(client, world, path, params, parameter):
    response = get(client, path, **params)
    assert response.status_code == 400
    assert parameter in response.json()


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("programmes/", {"country": "AA"}, "country"),
        ("programmes/", {"country": "aa"}, "country"),
        ("programmes/", {"country": ["AA", "ML"]}, "country"),
        ("programmes/", {"sector": "nope"}, "sector"),
        ("programmes/", {"sector": "98"}, "sector"),
        ("programmes/", {"funder": "nobody"}, "funder"),
        ("events/", {"series": "nope"}, "series"),
        ("programmes/", {"country": "ML", "sector": "nope"}, "sector"),
        ("programmes/", {"page": "99"}, "page"),
    ],
)
def test_what_a_well_formed_request_names_and_is_not_there_is_a_404(
    client, world, path, params, parameter
):
    # Issue 20: requests the schema allows were answered 400.
    response = get(client, path, **params)
    assert response.status_code == 404
    assert list(response.json()) == [parameter]


def test_a_page_past_the_last_says_which_is_the_last(client, world):
    response = client.get("/api/v1/countries/", {"page_size": 285, "page": 476})
    assert response.status_code == 404
    assert response.json() == {"page": ["There is no page 476: the last page is 1."]}


def test_the_schema_generates_without_warnings(tmp_path):
    # --fail-on-warn turns any warning into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "s.yaml")
    schema = (tmp_path / "s.yaml").read_text()
    assert "/api/v1/programmes/" in schema
    assert "name: funder" in schema


def test_the_schema_and_docs_are_served_without_external_assets(client, db):
    assert client.get("/api/v1/schema/").status_code == 200
    docs = client.get("/api/v1/docs/").content.decode()
    assert "swagger-ui-bundle.js" in docs
    assert "https://" not in docs


@pytest.mark.parametrize("size", ["abc", "0", "-1", "501", "²", "①", "1e3"])
def test_a_bad_page_size_is_a_400(client, world, size):
    response = client.get("/api/v1/programmes/", {"page_size": size})
    assert response.status_code == 400
    assert "page_size" in response.json()


def test_a_source_date_keeps_its_precision(client, world):
    import datetime

    for slug, day, precision in [
        ("yearly", datetime.date(2018, 1, 1), "year"),
        ("monthly", datetime.date(2019, 1, 1), "month"),
        ("daily", datetime.date(2018, 7, 4), "day"),
    ]:
        world["active"].sources.add(
            factories.SourceFactory(slug=slug, published=day, published_precision=precision)
        )
    world["active"].sources.add(factories.SourceFactory(slug="undated"))
    body = get(client, "programmes/agri-senegal/").json()
    assert sorted(str(source["published"]) for source in body["sources"]) == [
        "2018",
        "2018-07-04",
        "2019-01",
        "None",
    ]
