"""Schemathesis against the API, in process, with all its checks: every answer is one the
schema documents (status, content type, body, headers), schema-valid requests are
accepted, schema-invalid ones refused, and nothing answers 5xx. The heavy run (`make
fuzz`, marker `fuzz`) tries 1,000 cases per operation; the quick one a few."""

import json
import math
import zlib

import pytest
import schemathesis
from django.test import Client
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from ecosystem.core import listing
from ecosystem.core.api import RECORD_FILTERS
from tests.fuzz import tally

pytestmark = pytest.mark.django_db

# The schema as /api/v1/schema/ serves it, generated here because the test database
# does not exist yet when pytest collects the tests.
document = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(public=True)))
schema = schemathesis.openapi.from_dict(document)
# The quick run leaves out the coverage phase (its hundred-odd cases per operation).
quick_schema = schemathesis.openapi.from_dict(
    document, config=SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}}})
)

HEAVY = settings(
    max_examples=1000,
    deadline=None,
    database=None,
    # The seeded site is shared by every case on purpose; SQLite takes its time.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
QUICK = settings(HEAVY, max_examples=5, derandomize=True)


def pick(value, existing):
    """`value` if it names something that exists, else one of `existing` (always the same
    one for the same value, so that Hypothesis can shrink)."""
    if not existing:
        return ""  # no such record at all: no filter
    if value in existing:
        return value
    return existing[zlib.crc32(str(value).encode()) % len(existing)]


def name_what_exists(case):
    """A schema says what a slug looks like, not which records exist, nor how many pages
    a list has: a schema-valid case names existing records and pages, as a client
    following the API's own links does. (Negative cases and the page fuzzing try the rest:
    a value the schema refuses answers 400 naming the parameter, a well-formed one that
    names no record, or a page past the last, a 404 naming it.)"""
    view = resolve(case.operation.path).func
    filterset = getattr(view.cls, "filterset_class", None)
    query = dict(case.query or {})
    for name, value in query.items():
        filter_field = filterset and filterset.base_filters.get(name)
        if not isinstance(filter_field, RECORD_FILTERS):
            continue
        field = filter_field.extra.get("to_field_name", "pk")
        existing = sorted(str(v) for v in filter_field.queryset.values_list(field, flat=True))
        if isinstance(value, list):
            query[name] = [pick(v.upper() if field == "code" else v, existing) for v in value]
        else:
            query[name] = pick(value, existing)
    page = query.get("page")
    if page not in (None, "", "last"):
        answer = Client().get(case.operation.path, {k: v for k, v in query.items() if k != "page"})
        size = int(query.get("page_size", view.cls.pagination_class.page_size))
        pages = max(1, math.ceil(min(answer.json()["count"], listing.MAX_RESULTS) / size))
        query["page"] = 1 + (int(page) - 1) % pages
    case.query = query


def check(case, site):
    with tally.case("API (schemathesis)", case.operation.label):
        if case.meta.generation.mode.is_positive and "{" not in case.operation.path:
            name_what_exists(case)
        # The WSGI test client does not undo gzip, which a real client asks for.
        case.call_and_validate(app=site, headers={"Accept-Encoding": "identity"})


@quick_schema.parametrize()
@QUICK
def test_api_quick(case, site):
    check(case, site)


@pytest.mark.fuzz
@schema.parametrize()
@HEAVY
def test_api(case, site):
    check(case, site)


@pytest.mark.fuzz
@schema.parametrize()
@settings(HEAVY, max_examples=100)
def test_api_as_any_client(case, site):
    """The cases as schemathesis makes them, none rewritten to name what exists: every
    request the schema allows is accepted (issue 20: `?country=AA` and a page past the
    last were answered 400), whatever records and pages there are."""
    with tally.case("API (schemathesis, cases as made)", case.operation.label):
        case.call_and_validate(app=site, headers={"Accept-Encoding": "identity"})
