"""Hypothesis drives arbitrary query strings, path segments and form bodies at every
public address (tests/fuzz/targets.py) on the seeded site: never a server error, never
what was typed reflected unescaped into HTML or XML, never a redirect to another site.
The heavy run (`make fuzz`, marker `fuzz`) tries 10,000 cases in all; the quick one two
per address."""

import math
from urllib.parse import quote, urlencode, urlparse

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import resolve
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecosystem.core.models import Country, Sector
from ecosystem.core.registry import registry
from tests.fuzz import tally
from tests.fuzz.targets import public_routes, targets

pytestmark = pytest.mark.django_db

TARGETS = list(targets())
CASES = 10_000

HEAVY = settings(
    max_examples=math.ceil(CASES / len(TARGETS)),
    deadline=None,
    database=None,
    # The seeded site is shared by every case on purpose; SQLite takes its time.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
QUICK = settings(HEAVY, max_examples=2, derandomize=True)

# Typed into a query, a path or a form, each of these must come back escaped: raw, it
# would open an element, or close an attribute's quotes.
MARKERS = ["<zqx>", '"zqx"', "'zqx'"]
# What a parameter may be called: the filters' names, and those the pages read.
NAMES = sorted(
    {name for record_type in registry for name in record_type.filterset.base_filters}
    | {"page", "page_size", "record", "type", "sent", "next", "language", "format", "list"}
)

text = st.text(max_size=30)
values = st.one_of(
    text,
    st.tuples(text, st.sampled_from(MARKERS), text).map("".join),
    st.integers().map(str),
    st.sampled_from(["", "0", "-1", "1e309", "NaN", "last", "9" * 30, "2020.5", "%", "\r\n"]),
    st.text(min_size=190, max_size=300),
)
names = st.one_of(st.sampled_from(NAMES), text)


@st.composite
def query_strings(draw, existing):
    """A query string as a client could send it: pairs of names and values, URL-encoded
    as UTF-8 (existing slugs and codes among the values), or anything at all."""
    if draw(st.integers(0, 9)) == 0:
        # Percent signs without digits, bytes that are not UTF-8...: the WSGI string.
        return draw(st.text(st.characters(codec="latin-1"), max_size=60))
    pairs = draw(st.lists(st.tuples(names, st.one_of(values, existing)), max_size=6))
    return urlencode(pairs)


@st.composite
def bodies(draw, fields, existing):
    """A form as posted: the form's fields (and others) with anything in them."""
    keys = st.one_of(st.sampled_from(fields), names)
    data = draw(st.dictionaries(keys, st.one_of(values, existing), max_size=len(fields) + 2))
    if draw(st.booleans()):
        return {"data": urlencode(data), "content_type": "application/x-www-form-urlencoded"}
    return {"data": data}  # multipart, as the test client sends a dict


def existing_values():
    """Slugs and codes that name something on the seeded site."""
    found = list(Country.objects.values_list("code", flat=True))
    found += Sector.objects.values_list("slug", flat=True)
    # What ?list= names: a feed or a follow form of a list, or of a find-support answer.
    found += [record_type.key for record_type in registry] + ["support"]
    for record_type in registry:
        slugs = list(record_type.published().values_list("slug", flat=True)[:20])
        # As a correction link names a record: ?record=programmes:ntf-v.
        found += slugs + [f"{record_type.key}:{slug}" for slug in slugs[:3]]
    return st.sampled_from(sorted(found))


@pytest.fixture(scope="package")
def existing(seeded_site, django_db_blocker):
    with django_db_blocker.unblock():
        return existing_values()


def check(response, target):
    """What every answer must be, whatever was sent."""
    assert response.status_code < 500, f"{target.label}: {response.status_code}"
    if response.status_code in (301, 302, 303, 307, 308):
        host = urlparse(response["Location"]).netloc
        assert host in ("", "testserver", urlparse(django_settings.SITE_URL).netloc), (
            f"{target.label} redirects to {response['Location']}"
        )
    kind = response.get("Content-Type", "")
    if "html" not in kind and "xml" not in kind:
        return
    content = b"".join(response.streaming_content) if response.streaming else response.content
    body = content.decode("utf-8", "replace")
    # In XML (the feed, the sitemaps) a quote is harmless outside a tag.
    for marker in MARKERS if "html" in kind else ["<zqx"]:
        assert marker not in body, f"{target.label} reflects {marker!r} unescaped"


def fuzz(target, existing, data):
    path, segment = target.address()
    if segment and data.draw(st.booleans(), label="replace the segment"):
        typed = data.draw(st.one_of(values, existing), label="segment")
        head, _, tail = path.rpartition(segment)
        path = head + quote(typed, safe="") + tail
    query = data.draw(query_strings(existing), label="query")
    client = Client()
    extra = {
        "QUERY_STRING": query,
        # The suggestion form takes five an hour from one address.
        "REMOTE_ADDR": str(data.draw(st.ip_addresses(), label="address")),
        "HTTP_ACCEPT_LANGUAGE": data.draw(st.sampled_from(["fr", "en", "de", "*", ""]), "language"),
    }
    body = data.draw(bodies(target.fields, existing), label="body") if target.fields else None
    with tally.case("pages (Hypothesis)", target.label):
        if target.method == "POST":
            response = client.post(path, **body, **extra)
        else:
            response = client.get(path, **extra)
        check(response, target)


@pytest.mark.parametrize("target", TARGETS, ids=[target.label for target in TARGETS])
@QUICK
@given(data=st.data())
def test_pages_quick(target, existing, data):
    fuzz(target, existing, data)


@pytest.mark.fuzz
@pytest.mark.parametrize("target", TARGETS, ids=[target.label for target in TARGETS])
@HEAVY
@given(data=st.data())
def test_pages(target, existing, data):
    fuzz(target, existing, data)


def test_every_public_address_is_a_target(seeded_site):
    reached = set()
    for target in TARGETS:
        path, _segment = target.address()
        if path == "/":  # which LocaleMiddleware redirects, before any URL pattern
            continue
        with translation.override(translation.get_language_from_path(path)):
            match = resolve(path)
        reached.add(":".join([*match.namespaces, match.url_name]))
    assert public_routes() - reached == set()
