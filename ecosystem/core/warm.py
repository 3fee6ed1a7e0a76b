"""The costly shared pages (the home page, the country and sector indexes and pages, the
sitemap's files, the calendars), made again by a job after a burst of edits rather than
by the next visitor: the job asks for each as a visitor would, in each language, and the
page cache (ecosystem.core.cache) makes and keeps what is old. Only with a cache the
site's processes share (Redis)."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ecosystem.core import counts
from ecosystem.core.registry import registry
from ecosystem.jobs.engine import job, progress

SITEMAP_LOC = re.compile(r"<loc>([^<]+)</loc>")

# WARM_AFTER after the first edit of a burst, once for all the edits made meanwhile; and
# WARM_EVERY after the last one started at the earliest: under edits all day, a worker
# makes every shared page (a minute's work at 100,000 SMEs) once every few minutes, not
# without end, and the pages kept serve meanwhile (at most PAGE_STALE_SECONDS late).
WARM_AFTER = timedelta(seconds=10)
WARM_EVERY = timedelta(minutes=5)


def shared_cache():
    """Whether the site's processes share the cache (Redis): only then does a worker's
    job fill it for them."""
    return not settings.CACHES["default"]["BACKEND"].endswith(("LocMemCache", "DummyCache"))


def soon():
    """After a change: the shared pages' job, unless one is already waiting to start."""
    if not shared_cache():
        return
    jobs = DBTaskResult.objects.filter(task_path=warm_shared_pages.module_path)
    if jobs.filter(status=TaskResultStatus.READY).exists():
        return
    start = timezone.now() + WARM_AFTER
    last = jobs.exclude(started_at=None).order_by("-started_at").first()
    if last is not None:
        start = max(start, last.started_at + WARM_EVERY)
    warm_shared_pages.using(run_after=start).enqueue()


def shared_paths():
    """(path, language) of the costly pages every edit makes old: the home page, the
    country and sector indexes and pages that have records, the sitemap's files and
    the calendars, in each language."""
    kept = counts.counts().values()
    countries = sorted({code for hubs in kept for code in hubs[counts.COUNTRY]})
    sector_pks = {pk for hubs in kept for pk in hubs[counts.SECTOR]}
    sectors = apps.get_model("ecosystem", "Sector").objects.filter(pk__in=sector_pks)
    slugs = sorted(sectors.values_list("slug", flat=True))
    paths = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            names = [reverse("home"), reverse("country-list"), reverse("sector-list")]
            names += [reverse("country-detail", kwargs={"code": code}) for code in countries]
            names += [reverse("sector-detail", kwargs={"slug": slug}) for slug in slugs]
            names += [reverse(t.subscribe_url) for t in registry if t.subscribe_url]
            names.append(reverse("sitemap"))
        paths += [(path, language) for path in names]
    return paths


@job(title=_("Make the shared pages again"), atomic=False)
def warm_shared_pages():
    """Ask for each shared page as a visitor would: the page cache makes what is old
    and keeps it, so that the next visitor has it at once. The sitemap's files are
    those its index names."""
    site = urlsplit(settings.SITE_URL)
    visitor = Client(raise_request_exception=False, HTTP_HOST=site.netloc)
    paths = shared_paths()
    made = 0
    for done, (path, language) in enumerate(paths, 1):
        response = visitor.get(path, secure=site.scheme == "https", HTTP_ACCEPT_LANGUAGE=language)
        made += response.status_code == 200
        if path.endswith("sitemap.xml") and response.status_code == 200:
            for address in SITEMAP_LOC.findall(response.content.decode()):
                files = urlsplit(address)
                query = f"?{files.query}" if files.query else ""
                visitor.get(files.path + query, secure=site.scheme == "https")
                made += 1
        progress(done, len(paths))
    return {"pages": made}
