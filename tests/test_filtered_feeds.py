"""An Atom feed for every filtered list and every "find support" answer: the no-email
way to follow what the follow form follows by email, at the address beside the form's,
with the list and its filters (/en/alerts/feed.atom?list=opportunities&country=ML): the
newest records that fit, in the page's language; bad input refused in words or set
aside, never a 500; kept for visitors like the site's feed; linked beside the follow
form and in the head. The site-wide feed (/en/feed.atom) stays as it was."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from alerts.feeds import ITEMS
from tests import factories
from tests.helpers import count_queries, html, url
from tests.test_opportunities import call, calls, frozen  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

ATOM = {"a": "http://www.w3.org/2005/Atom"}
ANSWER = "country=SN&sector=digital-technology&stage=2&need=funding"


def feed(client, query, language="en"):
    """The feed's answer and its root element (None if it is not a feed)."""
    response = client.get(f"{url('alerts:feed', language)}?{query}")
    is_feed = response["Content-Type"].startswith("application/atom+xml")
    return response, ET.fromstring(response.content) if is_feed else None


def entries(root):
    """[{title, link, summary, category, updated}] of the feed's entries, in order."""
    found = []
    for entry in root.findall("a:entry", ATOM):
        summary = entry.find("a:summary", ATOM)
        found.append(
            {
                "title": entry.find("a:title", ATOM).text,
                "link": entry.find("a:link", ATOM).get("href"),
                "summary": "" if summary is None else summary.text,
                "category": entry.find("a:category", ATOM).get("term"),
                "updated": entry.find("a:updated", ATOM).text,
            }
        )
    return found


def titles(root):
    return [entry["title"] for entry in entries(root)]


def text(root, name):
    element = root.find(f"a:{name}", ATOM)
    return None if element is None else element.text


@pytest.fixture
def mali(db):
    return factories.CountryFactory(code="ML", name_en="Mali", name_fr="Mali")


@pytest.fixture
def opportunities(calls):  # noqa: F811 (the fixture)
    """Calls open to Senegal, Mali or both, one closed, one a draft (test_opportunities)."""
    return calls


def newest_first(*records):
    """Make `records` created in this order, a day apart (the clock is frozen)."""
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    for day, record in enumerate(records):
        type(record).objects.filter(pk=record.pk).update(
            created=start + datetime.timedelta(days=day)
        )


@pytest.mark.parametrize(
    ("language", "title", "link", "category"),
    [
        ("en", "Opportunities — Country: Mali", "/en/opportunities/", "opportunity"),
        ("fr", "Opportunités — Pays : Mali", "/fr/opportunites/", "opportunité"),
    ],
)
def test_a_filtered_list_of_calls_has_a_feed_of_the_calls_that_match(
    client, opportunities, language, title, link, category
):
    newest_first(opportunities["soon"], opportunities["rolling"])
    response, root = feed(client, "list=opportunities&country=ML&page=2&sort=name", language)
    assert response.status_code == 200
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == language
    assert text(root, "title") == title
    assert root.find("a:link[@rel='alternate']", ATOM).get("href") == (
        f"http://testserver{link}?country=ML"
    )
    assert root.find("a:link[@rel='self']", ATOM).get("href") == (
        f"http://testserver{url('alerts:feed', language)}?list=opportunities&country=ML"
    )
    found = entries(root)
    # Mali's calls, the newest first; not Senegal's alone, nor the draft.
    names = {"en": ["Rolling training", "Export mission"], "fr": ["Formation continue"]}
    assert [entry["title"] for entry in found][: len(names[language])] == names[language]
    assert len(found) == 2
    assert not {"Startup grant", "Subvention startups", "Hidden call", "Appel caché"} & {
        entry["title"] for entry in found
    }
    assert found[0]["link"] == f"http://testserver{link}rolling-training/"
    assert found[0]["category"] == category
    assert found[0]["updated"].startswith("2026-")


@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "Programmes — Country: Mali"), ("fr", "Programmes — Pays : Mali")],
)
def test_a_filtered_list_of_programmes_has_its_feed(client, mali, language, title):
    senegal = factories.CountryFactory(code="SN")
    older = factories.ProgrammeFactory(
        name_en="Older Mali programme",
        name_fr="Ancien programme Mali",
        summary_en="Support for SMEs in Mali.",
        summary_fr="Appui aux PME du Mali.",
        countries=[mali],
    )
    newer = factories.ProgrammeFactory(
        name_en="Newer Mali programme", name_fr="Nouveau programme Mali", countries=[mali]
    )
    factories.ProgrammeFactory(
        name_en="Senegal programme", name_fr="Programme Sénégal", countries=[senegal]
    )
    newest_first(older, newer)
    _response, root = feed(client, "list=programmes&country=ML", language)
    assert text(root, "title") == title
    found = entries(root)
    if language == "en":
        assert titles(root) == ["Newer Mali programme", "Older Mali programme"]
        assert found[1]["summary"] == "Support for SMEs in Mali."
    else:
        assert titles(root) == ["Nouveau programme Mali", "Ancien programme Mali"]
        assert found[1]["summary"] == "Appui aux PME du Mali."


@pytest.mark.parametrize(("language", "title"), [("en", "Events"), ("fr", "Événements")])
def test_a_filtered_list_of_events_has_its_feed(client, mali, language, title):
    factories.EventFactory(
        name_en="Bamako meetup",
        name_fr="Rencontre de Bamako",
        kind="meetup",
        start=datetime.date(2030, 3, 1),
        countries=[mali],
    )
    factories.EventFactory(
        name_en="Bamako conference",
        name_fr="Conférence de Bamako",
        kind="conference",
        start=datetime.date(2030, 4, 1),
        countries=[mali],
    )
    _response, root = feed(client, "list=events&country=ML&kind=meetup", language)
    assert text(root, "title").startswith(f"{title} — ")
    assert titles(root) == ["Bamako meetup" if language == "en" else "Rencontre de Bamako"]


@pytest.fixture
def answer(calls):  # noqa: F811 (the fixture)
    senegal = calls["later"].countries.get()
    digital = calls["later"].sectors.get()
    factories.ProgrammeFactory(
        slug="digital-programme",
        name_en="Digital programme",
        name_fr="Programme numérique",
        start=datetime.date(2024, 1, 1),
        end=datetime.date(2027, 12, 31),
        countries=[senegal],
        sectors=[digital],
    )
    return calls


@pytest.mark.parametrize(
    ("language", "title", "reason"),
    [
        (
            "en",
            "Find support — Country: Senegal",
            "open to Senegal · Digital technology · early stage · funding · open",
        ),
        (
            "fr",
            "Trouver un appui — Pays : Sénégal",
            "pays éligible : Sénégal · Numérique · en démarrage · financement · ouvert",
        ),
    ],
)
def test_a_find_support_answer_has_a_feed_that_says_why_each_fits(
    client, answer, language, title, reason
):
    answer["later"].summary_en = "Grants for young startups."
    answer["later"].summary_fr = "Des subventions pour les jeunes pousses."
    answer["later"].save()
    response, root = feed(client, f"list=support&{ANSWER}", language)
    assert response.status_code == 200
    assert text(root, "title").startswith(title)
    found = {entry["title"]: entry for entry in entries(root)}
    grant = found["Startup grant" if language == "en" else "Subvention startups"]
    assert grant["summary"].startswith(reason)
    summary = "Grants for young startups." if language == "en" else "Des subventions pour"
    assert summary in grant["summary"]
    assert ("Digital programme" if language == "en" else "Programme numérique") in found
    assert "Export mission" not in found and "Passed call" not in found
    page = "find-support" if language == "en" else "trouver-un-appui"
    assert (
        root.find("a:link[@rel='alternate']", ATOM)
        .get("href")
        .startswith(f"http://testserver/{language}/{page}/?country=SN")
    )


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "This list cannot be followed"), ("fr", "Cette liste ne peut pas être suivie")],
)
@pytest.mark.parametrize("query", ["list=nothing", "list=", "list=support%00", "country=ML"])
def test_an_unknown_list_has_no_feed_and_says_so(client, language, words, query):
    response, root = feed(client, query, language)
    assert response.status_code == 404
    assert root is None
    assert words in response.content.decode()


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "These filters are too long to follow"), ("fr", "Ces filtres sont trop longs")],
)
def test_filters_too_long_to_keep_are_refused_in_words(client, mali, language, words):
    response, _root = feed(client, "list=programmes&" + "&".join(["country=ML"] * 100), language)
    assert response.status_code == 400
    assert words in response.content.decode()


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "Some of the request could not be used and was ignored: Country: “ZZ”"),
        ("fr", "Une partie de la demande"),
    ],
)
def test_a_value_the_list_refuses_is_set_aside_and_named(client, opportunities, language, words):
    response, root = feed(client, "list=opportunities&country=ML&country=ZZ", language)
    assert response.status_code == 200
    assert text(root, "subtitle").startswith(words)
    assert "ZZ" in text(root, "subtitle")
    assert len(entries(root)) == 2  # Mali's still
    # An answer too: the stage that is none is set aside, the country kept.
    response, root = feed(client, "list=support&country=SN&stage=9", language)
    assert response.status_code == 200
    assert "9" in text(root, "subtitle")
    assert text(root, "title").endswith("Senegal" if language == "en" else "Sénégal")


def test_the_site_wide_feed_stays_as_it_was(client, opportunities):
    response = client.get(f"{url('feed')}?list=opportunities&country=ML")
    root = ET.fromstring(response.content)
    assert text(root, "title") == "What is new in the tech-support directory"
    assert "Startup grant" in titles(root)  # Senegal's: no filter applies


@pytest.mark.parametrize(
    ("language", "words"), [("en", "Atom feed of this list"), ("fr", "Flux Atom de cette liste")]
)
def test_the_list_page_links_the_feed_of_its_filters(client, mali, language, words):
    page = html(client.get(url("programmes:programme-list", language) + "?country=ML&page=1"))
    feed_url = f"{url('alerts:feed', language)}?list=programmes&amp;country=ML"
    assert f'<a href="{feed_url}" type="application/atom+xml" class="follow-feed">{words}</a>' in (
        page
    )
    head = page[: page.index("</head>")]
    assert f'<link rel="alternate" type="application/atom+xml" href="{feed_url}"' in head
    # The site-wide feed is still offered.
    assert f'type="application/atom+xml" href="{url("feed", language)}"' in head
    # The page to follow it by email offers the same feed.
    follow = html(client.get(url("alerts:follow", language) + "?list=programmes&country=ML"))
    assert f'href="{feed_url}"' in follow


def test_the_find_support_page_links_the_feed_of_its_answer(client, answer):
    page = html(client.get(url("opportunities:find-support", "fr") + "?" + ANSWER))
    feed_url = (
        "/fr/alertes/feed.atom?list=support&amp;country=SN&amp;sector=digital-technology&amp;stage=2"
        "&amp;need=funding"
    )
    assert f'href="{feed_url}" type="application/atom+xml" class="follow-feed">' in page
    assert f'<link rel="alternate" type="application/atom+xml" href="{feed_url}"' in page
    _response, root = feed(client, feed_url.split("?")[1].replace("&amp;", "&"), "fr")
    assert "Subvention startups" in titles(root)


def test_a_feed_is_kept_for_visitors_like_the_site_feed_under_its_whole_query(
    client, opportunities
):
    site = client.get(url("feed"))
    path = f"{url('alerts:feed')}?list=opportunities&country=ML"
    first = client.get(path)
    assert first["Cache-Control"] == site["Cache-Control"]
    assert first["ETag"].startswith('W/"')
    assert count_queries(lambda: client.get(path), cold=False) == 1
    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    # Another filter is another answer, not the one kept.
    _response, root = feed(Client(), "list=opportunities&country=SN")
    assert "Startup grant" in titles(root)
    # Refusals are not kept.
    refused = client.get(f"{url('alerts:feed')}?list=nothing")
    assert refused.status_code == 404
    assert "s-maxage" not in refused.get("Cache-Control", "") and "ETag" not in refused


def more_calls(start, stop, country, digital):
    for index in range(start, stop):
        call(
            f"more-{index}",
            f"More {index}",
            f"Plus {index}",
            kind="grant",
            deadline=datetime.date(2026, 7, 1),
            stage_from=2,
            stage_to=2,
            countries=[country],
            sectors=[digital],
        )


@pytest.mark.parametrize(
    "query", ["list=opportunities&country=ML&kind=grant", f"list=support&{ANSWER}"]
)
def test_a_feed_costs_the_same_queries_with_ten_times_the_records(client, answer, query):
    mali = answer["rolling"].countries.get()
    senegal = answer["later"].countries.get()
    digital = answer["later"].sectors.get()
    country = mali if "ML" in query else senegal
    more_calls(0, 3, country, digital)
    path = f"{url('alerts:feed')}?{query}"
    before = count_queries(lambda: client.get(path))
    more_calls(3, 3 * 10 + 5, country, digital)  # more than ten times, past the feed's 30
    assert count_queries(lambda: client.get(path)) == before
    _response, root = feed(client, query)
    assert len(entries(root)) <= ITEMS == 30
    if "list=opportunities" in query:
        assert len(entries(root)) == 30


def test_control_characters_typed_in_the_filters_still_make_a_feed(client, mali):
    """XML 1.0 cannot carry them: a search or a refused value holding one is printed
    without it (the fuzzing found a 500)."""
    response, root = feed(client, "list=programmes&country=%1F&q=digital%01mali")
    assert response.status_code == 200
    assert "digitalmali" in text(root, "title")
    assert "\x1f" not in text(root, "subtitle") and "\x01" not in text(root, "title")
