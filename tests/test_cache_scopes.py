"""An edit makes old only the kept pages that show what it changed (ecosystem.core.cache):
the others stay warm, every page that shows it shows the new value, and a visitor is
served the old answer at most PAGE_STALE_SECONDS after the edit."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client, RequestFactory
from django.utils import timezone, translation

from ecosystem.core import cache, warm
from programmes.models import Programme, ProgrammeRole
from tests import factories
from tests.helpers import count_queries, edit, html, run_jobs

pytestmark = pytest.mark.django_db

# Pages that do not name the SME of the world (Agro Thiès, a beneficiary of Agri Senegal).
PROGRAMME_PAGES = [
    "/en/programmes/",
    "/fr/programmes/",
    "/en/programmes/digital-mali/",
    "/fr/programmes/digital-mali/",
    "/api/v1/programmes/digital-mali/",
]
# Lists of other types filtered by what names no record: they stay warm too.
FILTERED_PROGRAMME_PAGES = [
    "/en/programmes/?country=ML",
    "/fr/programmes/?sector=digital-technology&status=active",
    "/en/events/?year=2019&when=past",
    "/en/organizations/?kind=funder",
    "/api/v1/programmes/?country=ML&page_size=5",
]
# Pages that do.
SME_PAGES = [
    "/en/",
    "/fr/",
    "/en/smes/",
    "/fr/pme/",
    "/en/organizations/agro-thies/",
    "/fr/organisations/agro-thies/",
    "/en/programmes/agri-senegal/",
    "/fr/programmes/agri-senegal/",
    "/api/v1/smes/",
    "/en/countries/sn/",
    "/fr/pays/sn/",
    "/en/search/?q=thies",
]


@pytest.fixture
def world(world):
    """The world, its records with a source, as the admin wants before it saves them."""
    for name in ("sme", "afd", "active"):
        world[name].sources.add(factories.SourceFactory())
    return world


def text(response):
    """The page without its tags (search marks the words it found)."""
    return re.sub(r"<[^>]+>", "", html(response))


def kept(visitor, path):
    """Whether the visitor's answer came from the page cache: one query, the versions."""
    return count_queries(lambda: visitor.get(path), cold=False) == 1


def test_an_sme_edit_leaves_programme_pages_warm(staff_client, world):
    visitor = Client()
    for path in PROGRAMME_PAGES + SME_PAGES:
        assert visitor.get(path).status_code == 200, path
    for path in FILTERED_PROGRAMME_PAGES:
        assert visitor.get(path).status_code == 200, path
    edit(staff_client, world["sme"], summary_en="Dried mangoes.", summary_fr="Mangues séchées.")
    for path in PROGRAMME_PAGES + FILTERED_PROGRAMME_PAGES:
        assert kept(visitor, path), path
    for path in SME_PAGES:
        assert not kept(visitor, path), path


@pytest.mark.parametrize("path", SME_PAGES)
def test_every_page_that_names_an_sme_shows_its_new_name(staff_client, world, path):
    visitor = Client()
    assert "Agro Thiès" in text(visitor.get(path))
    edit(staff_client, world["sme"], name_en="Mango Thiès", name_fr="Mangue Thiès")
    page = text(visitor.get(path))
    assert "Agro Thiès" not in page
    assert "Mango Thiès" in page or "Mangue Thiès" in page


def test_an_organization_renamed_reaches_the_programmes_it_funds(staff_client, world):
    visitor = Client()
    paths = ["/en/programmes/agri-senegal/", "/fr/programmes/agri-senegal/", "/en/programmes/"]
    for path in paths:
        assert "AFD" in html(visitor.get(path))
    edit(staff_client, world["afd"], acronym="AFDX")
    for path in paths:
        assert "AFDX" in html(visitor.get(path)), path


def test_a_new_beneficiary_reaches_the_programme_page(world):
    visitor = Client()
    page = "/en/programmes/digital-mali/"
    assert "Agro Thiès" not in html(visitor.get(page))
    ProgrammeRole.objects.create(
        programme=world["closed"], organization=world["sme"], role="beneficiary"
    )
    assert "Agro Thiès" in html(visitor.get(page))
    # The SME's page names the programme it benefits from.
    assert "Digital Mali" in html(visitor.get("/en/organizations/agro-thies/"))


def test_an_sme_becoming_an_association_leaves_the_sme_list(staff_client, world):
    visitor = Client()
    assert "Agro Thiès" in html(visitor.get("/en/smes/"))
    assert "Agro Thiès" not in html(visitor.get("/en/organizations/"))
    edit(staff_client, world["sme"], kind="association")
    assert "Agro Thiès" not in html(visitor.get("/en/smes/"))
    assert "Agro Thiès" in html(visitor.get("/en/organizations/"))


def test_a_link_changed_from_the_country_side_reaches_the_sme_page(world):
    visitor = Client()
    page = "/en/organizations/agro-thies/"
    assert "Burkina Faso" not in html(visitor.get(page))
    world["BF"].organizations.add(world["sme"])
    assert "Burkina Faso" in html(visitor.get(page))
    world["BF"].organizations.clear()
    assert "Burkina Faso" not in html(visitor.get(page))


def test_a_filtered_list_naming_an_sme_follows_it(world):
    """A query may name any record (a funder that is an SME): such a list is kept under
    every type's version."""
    visitor = Client()
    page = "/en/programmes/?q=thies"
    visitor.get(page)
    world["sme"].summary_en = "Changed in a shell."
    world["sme"].save()
    assert not kept(visitor, page)


def lock_of(path, language="en"):
    with translation.override(language):
        return cache.page_key(RequestFactory().get(path)) + ":rebuilding"


def rename(programme, name):
    programme.name_en = name
    programme.save()


def test_the_old_answer_is_served_at_most_the_stale_window_after_an_edit(
    staff_client, world, settings
):
    settings.PAGE_STALE_SECONDS = 60
    visitor = Client()
    page = "/en/programmes/agri-senegal/"
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert "Agri Senegal" in html(visitor.get(page))
        rename(world["active"], "Agri Senegal renamed")
        # Another request is making the new answer: this one has the old, from the cache.
        from django.core.cache import cache as store

        assert store.add(lock_of(page), 1, 60)
        clock.shift(timedelta(seconds=59))
        assert kept(visitor, page)
        assert "Agri Senegal renamed" not in html(visitor.get(page))
        assert "Agri Senegal renamed" in html(staff_client.get(page))  # staff: never old
        clock.shift(timedelta(seconds=2))  # 61 s after the edit: made before it is served
        assert "Agri Senegal renamed" in html(visitor.get(page))
        assert kept(visitor, page)


def test_the_first_visitor_after_an_edit_has_the_old_answer_and_the_next_the_new(
    world, settings, caplog
):
    """No one holds the lock: the first request takes it, is sent the old answer at once,
    and makes the new one once it is sent (the server closes the answer; the test
    client does as a server does); the next visitor has the new one, kept for all."""
    settings.PAGE_STALE_SECONDS = 60
    visitor = Client()
    page = "/fr/programmes/agri-senegal/"
    visitor.get(page)
    rename(world["active"], "Renamed")
    world["active"].name_fr = "Agri Sénégal renommé"
    world["active"].save()
    first = visitor.get(page)
    assert "Agri Sénégal renommé" not in html(first)
    from django.core.cache import cache as store

    assert store.get(lock_of(page, "fr")) is None  # given back once the new one is kept
    # What it cost the worker, which the request's own log line does not count.
    assert "Made again after its old answer was sent: /fr/programmes/" in caplog.text
    assert "Agri Sénégal renommé" in html(visitor.get(page))
    assert kept(visitor, page)


def test_an_answer_that_cannot_be_made_again_leaves_the_old_one_to_lapse(
    world, settings, monkeypatch, caplog
):
    """The visitor already has the old answer: the failure is logged, and the lock lapses
    for the next request to try."""
    settings.PAGE_STALE_SECONDS = 60
    visitor = Client()
    page = "/en/programmes/agri-senegal/"
    visitor.get(page)
    rename(world["active"], "Renamed")

    def broken(*args):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(cache, "make_page", broken)
    assert "Agri Senegal" in html(visitor.get(page))
    assert "could not be made again" in caplog.text


def test_with_no_stale_window_an_edit_is_never_served_late(world, settings):
    settings.PAGE_STALE_SECONDS = 0
    visitor = Client()
    page = "/en/programmes/agri-senegal/"
    visitor.get(page)
    from django.core.cache import cache as store

    store.add(lock_of(page), 1, 60)
    rename(world["active"], "Renamed at once")
    assert "Renamed at once" in html(visitor.get(page))


def test_several_edits_are_served_late_only_within_the_window_from_the_answers_making(
    world, settings
):
    """When more than one edit passed, the first one's time is not known, but it came after
    the answer was made: the old answer is served while that is within the window."""
    settings.PAGE_STALE_SECONDS = 60
    visitor = Client()
    page = "/en/programmes/agri-senegal/"
    from django.core.cache import cache as store

    with time_machine.travel(timezone.now(), tick=False) as clock:
        visitor.get(page)
        clock.shift(timedelta(seconds=30))
        rename(world["active"], "First")
        rename(world["active"], "Second")
        store.add(lock_of(page), 1, 60)  # another request is making the new one
        clock.shift(timedelta(seconds=29))  # 59 s after the answer was made
        assert "Second" not in html(visitor.get(page))
        clock.shift(timedelta(seconds=2))  # 61 s: made before it is served
        assert "Second" in html(visitor.get(page))
        assert kept(visitor, page)


def test_a_burst_of_edits_makes_the_shared_pages_again_in_one_job(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    monkeypatch.setattr(warm, "shared_cache", lambda: True)
    visitor = Client()
    shared = ["/en/", "/fr/", "/en/countries/", "/fr/pays/sn/", "/en/sectors/agri-food/"]
    with django_capture_on_commit_callbacks(execute=True):
        rename(world["active"], "Agri Senegal renamed")
        Programme.objects.get(slug="digital-sahel").save()
        world["sme"].save()
    assert DBTaskResult.objects.count() == 1  # one job for the burst
    with time_machine.travel(timezone.now() + warm.WARM_AFTER + timedelta(seconds=1)):
        run_jobs()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    for path in shared:
        assert kept(visitor, path), path
    assert "Agri Senegal renamed" in html(visitor.get("/en/"))
    calendar = Client(HTTP_ACCEPT_LANGUAGE="fr")
    assert kept(calendar, "/events.ics")
    assert kept(calendar, "/sitemap.xml")


def test_without_a_shared_cache_no_job_is_queued(
    world, django_capture_on_commit_callbacks, settings
):
    """The cache of each process's own memory: a worker's job would fill its own."""
    from django_tasks_db.models import DBTaskResult

    # Whatever the run's cache (Redis in CI's PostgreSQL run), this process's memory.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    with django_capture_on_commit_callbacks(execute=True):
        rename(world["active"], "Renamed")
    assert not DBTaskResult.objects.exists()


def test_a_negative_stale_window_is_refused_at_start():
    from tests.test_settings import start

    started = start("import django; django.setup()", DEBUG="1", PAGE_STALE_SECONDS="-5")
    assert started.returncode != 0
    assert "PAGE_STALE_SECONDS is 0 or more seconds." in started.stderr


def test_shared_pages_are_made_again_at_most_every_few_minutes(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    """Staff editing all day would keep a worker rebuilding every shared page: the next
    job waits WARM_EVERY after the last one started (visitors meanwhile get the pages
    kept, at most PAGE_STALE_SECONDS late, or made for them)."""
    from django_tasks_db.models import DBTaskResult

    monkeypatch.setattr(warm, "shared_cache", lambda: True)
    with django_capture_on_commit_callbacks(execute=True):
        rename(world["active"], "First")
    with time_machine.travel(timezone.now() + warm.WARM_AFTER + timedelta(seconds=1)):
        run_jobs()
        started = DBTaskResult.objects.get().started_at
        with django_capture_on_commit_callbacks(execute=True):
            rename(world["active"], "Second")
    waiting = DBTaskResult.objects.get(status="READY")
    assert waiting.run_after == started + warm.WARM_EVERY


def test_an_association_becoming_an_sme_leaves_the_organization_lists(staff_client, world):
    visitor = Client()
    afd = world["afd"]
    lists = ["/en/organizations/", f"/en/organizations/?kind={afd.kind}"]
    for path in lists:
        assert afd.name_en in html(visitor.get(path)), path
    edit(staff_client, afd, kind="sme")
    for path in lists:
        assert afd.name_en not in html(visitor.get(path)), path
