"""The design's markup, as the server writes it: the filter control that counts the active
filters, the summary block before the long text, labelled cells for a phone's stacked
tables, the footer's links, and valid attributes (no empty action, valid datetimes)."""

import re

import pytest

from tests.helpers import html, url

pytestmark = pytest.mark.django_db

# HTML's valid date, month, year and global date-and-time strings (at most 3 decimals).
VALID_DATETIME = re.compile(
    r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2}))?)?)?$"
)


def test_the_filter_control_counts_the_active_filters(client, world):
    page = html(client.get(url("programmes:programme-list", "en") + "?country=ML&status=closed"))
    assert re.search(r"<summary><span class=\"filter-toggle\">Filter \(2 active\)</span>", page)
    assert 'action="/en/programmes/"' in page
    page = html(client.get(url("programmes:programme-list", "fr")))
    assert re.search(r'<details class="filter-panel">\s*<summary>', page)  # closed: phone first
    assert 'action="/fr/programmes/"' in page


def test_a_record_page_opens_with_its_key_facts(client, world):
    page = html(client.get(url("members:organization-detail", "fr", slug="optic")))
    facts = page[page.index('<div class="facts">') :]
    facts = facts[: facts.index("</div>")]
    assert '<a href="#sources">Sources</a>' in facts
    assert 'id="sources"' in page


def test_the_footer_links_the_licence_the_api_and_the_data(client, world):
    page = html(client.get(url("home", "en")))
    footer = page[page.index('<footer class="site-footer">') :]
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license"' in footer
    assert 'href="/api/v1/docs/"' in footer and 'href="/dataset/"' in footer


def test_no_empty_action_and_only_valid_datetimes(client, world):
    pages = [
        url("programmes:programme-list", "en"),
        url("events:event-list", "fr"),
        url("members:organization-detail", "en", slug="optic"),
        url("programmes:programme-detail", "fr", slug="agri-senegal"),
        url("search", "en") + "?q=senegal",
    ]
    for address in pages:
        page = html(client.get(address))
        assert 'action=""' not in page, address
        for value in re.findall(r'<time datetime="([^"]*)"', page):
            assert VALID_DATETIME.match(value), (address, value)
