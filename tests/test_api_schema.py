"""The OpenAPI schema says what the API answers: nulls where a record has no value, the
400 of a bad parameter, the 404 of a page past the last and of an unknown record on
every operation where they happen, and the bounds of the parameters.
(tests/fuzz/test_api_schema.py has schemathesis check every answer against it.)"""

import jsonschema
import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for operation in methods.values():
            yield path, operation


def parameter(schema, path, name):
    return next(p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == name)


def test_every_list_documents_its_400_and_404_and_every_detail_its_404(schema):
    for path, operation in operations(schema):
        expected = {"200", "404"} if "{" in path else {"200", "400", "404"}
        assert set(operation["responses"]) == expected, path


@pytest.mark.parametrize(
    ("path", "params"),
    [("/api/v1/countries/", {"page_size": 285, "page": 476}), ("/api/v1/smes/", {"country": "AA"})],
)
def test_a_well_formed_request_naming_nothing_answers_as_its_404_is_documented(
    client, schema, senegal, path, params
):
    # Issue 20: requests the schema allows were answered 400.
    response = client.get(path, params)
    assert response.status_code == 404
    documented = schema["paths"][path]["get"]["responses"]["404"]
    jsonschema.validate(response.json(), documented["content"]["application/json"]["schema"])


def test_a_bad_parameter_answers_as_its_400_is_documented(client, schema, senegal):
    response = client.get("/api/v1/programmes/", {"country": "XXX"})
    assert response.status_code == 400
    documented = schema["paths"]["/api/v1/programmes/"]["get"]["responses"]["400"]
    jsonschema.validate(response.json(), documented["content"]["application/json"]["schema"])


@pytest.mark.parametrize("page", ["0", "-1", "1.5"])
def test_page_zero_is_refused_by_the_schema_as_by_the_api(client, schema, page, senegal):
    assert client.get("/api/v1/countries/", {"page": page}).status_code == 400
    page_schema = parameter(schema, "/api/v1/countries/", "page")["schema"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(float(page) if "." in page else int(page), page_schema)
    jsonschema.validate(1, page_schema)


def test_page_size_bounds_are_documented(client, schema, senegal):
    size = parameter(schema, "/api/v1/countries/", "page_size")["schema"]
    assert (size["minimum"], size["maximum"]) == (1, 500)
    assert client.get("/api/v1/countries/", {"page_size": 500}).status_code == 200
    assert client.get("/api/v1/countries/", {"page_size": 501}).status_code == 400


def test_filters_document_their_values(schema):
    year = parameter(schema, "/api/v1/programmes/", "year")
    assert year["schema"] == {"type": "integer", "minimum": 1900, "maximum": 2100}
    sort = parameter(schema, "/api/v1/programmes/", "sort")
    assert sort["schema"]["enum"] == ["name", "-start", "start", "-updated"]
    # The default order, and that the language does not change it.
    assert sort["schema"]["default"] == "name"
    assert "whatever the Accept-Language header" in sort["description"]
    assert parameter(schema, "/api/v1/events/", "sort")["schema"]["default"] == "-start"
    country = parameter(schema, "/api/v1/programmes/", "country")
    assert country["schema"]["items"]["pattern"] == "^[A-Za-z]{2}$"


def test_a_search_is_measured_as_sent_as_the_schema_says(client, schema, senegal):
    assert parameter(schema, "/api/v1/programmes/", "q")["schema"]["maxLength"] == 200
    assert client.get("/api/v1/programmes/", {"q": "x" * 200}).status_code == 200
    too_long = client.get("/api/v1/programmes/", {"q": "x" * 199 + "  "})
    assert too_long.status_code == 400
    assert "q" in too_long.json()


def test_an_empty_single_value_is_no_filter_as_documented(client, schema, world):
    everything = client.get("/api/v1/events/").json()["count"]
    empty = client.get("/api/v1/events/", {"year": "", "when": "", "sort": "", "series": ""})
    assert empty.status_code == 200
    assert empty.json()["count"] == everything
    for name in ("year", "when", "sort", "series"):
        assert parameter(schema, "/api/v1/events/", name)["allowEmptyValue"] is True


def test_what_a_record_lacks_is_null_and_the_schema_says_it_may_be(client, schema, senegal):
    factories.EventFactory(slug="bare")
    factories.SectorFactory(slug="main")
    event = client.get("/api/v1/events/bare/").json()
    sector = client.get("/api/v1/sectors/main/").json()
    components = schema["components"]["schemas"]
    for name in ("series", "programme", "country", "dates_source"):
        assert event[name] is None
        assert components["Event"]["properties"][name]["nullable"] is True
    assert sector["parent"] is None
    assert components["Sector"]["properties"]["parent"]["nullable"] is True


@pytest.mark.parametrize("path", ["/api/v1/programmes/nope%0A/", "/api/v1/countries/%C2%84/"])
def test_an_api_address_that_names_nothing_is_a_json_404(client, db, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}
