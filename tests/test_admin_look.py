"""The admin looks like the directory's: its name and colours instead of Django's, links to
the public site in both languages, and a dashboard of the work waiting (drafts, records
in review, suggestions to moderate, records to check), each count linking to the list
that holds those records."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from tinycss2.color3 import parse_color

from suggestions.models import Suggestion
from tests import factories
from tests.helpers import html, stylesheet

pytestmark = pytest.mark.django_db

HEADER = {"en": "Tech-support directory", "fr": "Annuaire de l’appui à la tech"}


def index(client, language):
    return html(client.get("/admin/", HTTP_ACCEPT_LANGUAGE=language))


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_admin_carries_the_directory_s_name_colours_and_public_links(staff_client, language):
    page = index(staff_client, language)
    name = HEADER[language]
    assert f'<div id="site-name"><a href="/admin/">{name}</a></div>' in page
    assert re.search(rf"<title>[^<]*\| {name}</title>", page)
    assert "Django" not in page  # neither "Django administration" nor "Django site admin"
    assert '<link rel="stylesheet" href="/static/css/admin.css">' in page
    # The public site in both languages, each named in its own, instead of "View site".
    public = {"en": "The public site: ", "fr": "Le site public : "}[language]
    links = (
        '<a href="/fr/" lang="fr" hreflang="fr">français</a> · '
        '<a href="/en/" lang="en" hreflang="en">English</a>'
    )
    assert page.count(public + links) == 2  # in the header and on the dashboard
    assert {"en": "View site", "fr": "Voir le site"}[language] not in page
    # Every admin page has them, the lists and forms too.
    changelist = html(
        staff_client.get("/admin/members/organization/", HTTP_ACCEPT_LANGUAGE=language)
    )
    assert public + links in changelist and name in changelist


def test_the_admin_stylesheet_sets_the_site_s_colours():
    """Django's admin colours its section captions and buttons with --primary, its links
    with --link-fg: the site's green, --primary in every theme (links are lighter on the
    dark one)."""
    site = stylesheet("site.css")
    accent = [
        value
        for where, selector, name, value in site
        if (where, selector, name) == ("", ":root", "--accent")
    ]
    admin = stylesheet("admin.css")
    primary = [value for _, _, name, value in admin if name == "--primary"]
    links = [
        value
        for where, selector, name, value in admin
        if (where, selector, name) == ("", ":root", "--link-fg")
    ]
    assert accent and primary and links
    for value in primary + links[-1:]:
        assert parse_color(value) == parse_color(accent[-1]), (value, accent[-1])


def aged(record, days):
    moment = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=days)
    type(record).objects.filter(pk=record.pk).update(created=moment)


@pytest.fixture
def work(db):
    """Two draft organizations and a draft programme; an event in review; a published
    organization and an archived one nobody has checked for two years; a suggestion
    waiting and one dealt with."""
    factories.OrganizationFactory.create_batch(2, publication_status="draft")
    factories.ProgrammeFactory(publication_status="draft")
    factories.EventFactory(publication_status="review")
    aged(factories.OrganizationFactory(slug="old"), 730)
    aged(factories.OrganizationFactory(slug="old-archived", publication_status="archived"), 730)
    common = {"kind": "new", "record_type": "smes", "name": "Agro", "source": "a site"}
    Suggestion.objects.create(**common, submitter_name="A", submitter_email="a@example.org")
    Suggestion.objects.create(
        **common, submitter_name="B", submitter_email="b@example.org", status="accepted"
    )


def dashboard(page):
    start = page.index('id="work-to-do"')
    return page[start : page.index("</div>", start)]


def rows(client, address):
    """How many records the admin list at `address` shows."""
    return html(client.get(address.replace("&amp;", "&"))).count('name="_selected_action"')


def test_the_dashboard_counts_the_work_and_links_to_it(staff_client, work):
    board = dashboard(index(staff_client, "en"))
    lines = [re.sub(r"<[^>]+>", "", line).strip() for line in board.split("<li>")[1:]]
    assert lines[:4] == [
        "Drafts (3): programmes (1), organizations (2)",
        "Review queue (1): events (1)",
        "Records to check (1): organizations (1)",
        "Suggestions to moderate (1)",
    ]
    # Each kind's count links to its admin list, filtered to show those very records.
    links = {text: address for address, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', board)}
    assert links["Drafts"] == "/admin/work/drafts/"
    assert links["Review queue"] == "/admin/work/review/"
    assert links["Records to check"] == "/admin/work/to-check/"
    assert (
        links["Suggestions to moderate"] == "/admin/suggestions/suggestion/?status__exact=pending"
    )
    filtered = re.findall(r'<a href="(/admin/[a-z]+/[a-z]+/\?[^"]+)">[^<]+</a> \((\d+)\)', board)
    assert len(filtered) == 5  # four kinds of record, and the suggestions
    for address, count in filtered:
        assert rows(staff_client, address) == int(count), address
    # The drafts' own page lists them, by kind.
    drafts = html(staff_client.get("/admin/work/drafts/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "Organizations (2)" in drafts and "Programmes (1)" in drafts and "Events (0)" in drafts


def test_the_dashboard_in_french(staff_client, work):
    board = dashboard(index(staff_client, "fr"))
    assert "Travail à faire" in board
    assert "File de relecture</a> (1)" in board and "Fiches à vérifier</a> (1)" in board
    assert ">organisations</a> (2)" in board and ">événements</a> (1)" in board
    # French sets its colon apart.
    drafts = '<a href="/admin/programmes/programme/?publication_status__exact=draft">'
    assert f"(3) : {drafts}programmes</a> (1), " in board
    assert "Importer des fiches" in board


def test_a_count_shows_only_when_there_is_work(staff_client, db):
    factories.OrganizationFactory(publication_status="review")
    board = dashboard(index(staff_client, "en"))
    assert "Review queue" in board
    for absent in ("Drafts", "Records to check", "Suggestions to moderate", "Nothing waits"):
        assert absent not in board


def test_nothing_waits(staff_client, db):
    board = dashboard(index(staff_client, "en"))
    assert "Nothing waits" in board and "/admin/work/" not in board
    assert "Import records" in board


def test_staff_see_the_work_they_may_open(client, django_user_model, work):
    """A staff member with no permission on suggestions is not sent to them."""
    user = django_user_model.objects.create_user("reader", password="pw", is_staff=True)
    editor = Group.objects.get(name="Editor")
    user.user_permissions.set(
        editor.permissions.exclude(content_type__app_label="suggestions").filter(
            codename__startswith="view_"
        )
    )
    client.force_login(user)
    board = dashboard(index(client, "en"))
    assert "Drafts (3)" in re.sub(r"<[^>]+>", "", board)
    assert "Suggestions to moderate" not in board


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_log_in_and_lock_out_pages_carry_the_name_too(client, db, language):
    from django.template.loader import render_to_string
    from django.utils import translation

    login = html(client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE=language))
    assert f'<a href="/admin/">{HEADER[language]}</a>' in login and "Django" not in login
    # django-axes renders its page outside the admin site, with none of its context.
    with translation.override(language):
        lockout = render_to_string("admin/lockout.html", {"failure_limit": 5})
    assert f"| {HEADER[language]}</title>" in lockout
    assert f'<a href="/admin/">{HEADER[language]}</a>' in lockout and "Django" not in lockout
