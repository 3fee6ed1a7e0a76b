"""A cache for what is costly and shared, correct across processes: each result is kept
under the data's version, a number in the database that every save, delete or change of
links bumps (ecosystem.core.signals). A new version makes the old results unused; they
expire on their own.

Two levels use it: `cached()` for results shared by many pages (counts per country and
sector, per record type), and `page_cache`, the middleware that keeps whole public
answers for visitors and answers a repeat visit with 304 Not Modified. The answers it
keeps may also be kept by a shared cache in front of the site (nginx, a CDN), for
EDGE_CACHE_SECONDS; nothing else may."""

import hashlib
from contextvars import ContextVar
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, models
from django.db.models import F
from django.http import HttpResponseNotModified
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags
from django.utils.translation import gettext_lazy as _

TIMEOUT = 24 * 3600


class DataVersion(models.Model):
    """One number, bumped by every change to the directory's data: cached results carry
    it in their keys, so an edit in any process makes every process's results old."""

    number = models.PositiveBigIntegerField(default=1)

    class Meta:
        app_label = "ecosystem"
        verbose_name = _("data version")

    def __str__(self):
        return str(self.number)


# The version a visitor's request has read once (page_cache): the rest of the request
# uses it rather than asking the database again.
request_version = ContextVar("request_version", default=None)


def data_version():
    version = request_version.get()
    if version is None:
        version = DataVersion.objects.filter(pk=1).values_list("number", flat=True).first()
    return version or 0


def bump():
    """The data changed: every cached result is to be computed again."""
    if not DataVersion.objects.filter(pk=1).update(number=F("number") + 1):
        DataVersion.objects.get_or_create(pk=1)


def cached(key, compute, *, per_language=False):
    """`compute()`'s result, from the cache while the data has not changed."""
    language = translation.get_language() if per_language else ""
    full_key = f"directory:{data_version()}:{language}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, TIMEOUT)
    return value


def page_key(request, version):
    """What a public answer depends on: the data's version, the day (what is upcoming or
    past), the language and the full path with its query."""
    language = translation.get_language() or ""
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"page:{version}:{date.today().isoformat()}:{language}:{path}"


def cacheable_request(request):
    """A visitor's GET: not staff (who have a session and may see drafts), not the admin."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(f"/{settings.ADMIN_URL}")
    )


def cacheable_response(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
    )


def shared_cache_control(response):
    """A visitor's answer that any shared cache (nginx, a CDN) may keep EDGE_CACHE_SECONDS,
    then go on serving for EDGE_STALE_SECONDS more while it fetches the new one: an edit
    reaches visitors at most the sum of both late. Browsers still ask each time
    (max-age=0), and get a 304 while nothing changed. 0 keeps shared caches out."""
    seconds = settings.EDGE_CACHE_SECONDS
    if not seconds:
        patch_cache_control(response, no_cache=True)
        return
    directives = {"public": True, "max_age": 0, "s_maxage": seconds}
    if settings.EDGE_STALE_SECONDS:
        directives["stale_while_revalidate"] = settings.EDGE_STALE_SECONDS
    patch_cache_control(response, **directives)


def page_cache(get_response):
    """Visitors' answers kept whole, under the data's version: a repeat of any public page,
    API answer, feed or sitemap costs one query (the version) and a cache read. Each
    carries an ETag; a browser that sends it back gets 304 Not Modified while the data
    and the day are the same. Exports (streamed) and staff's pages are never kept, and
    what staff and the admin are answered is marked private, so that no shared cache in
    front keeps a draft or a staff screen whatever its own rules."""

    def middleware(request):
        if not cacheable_request(request):
            response = get_response(request)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        try:
            version = data_version()
        except DatabaseError:
            return get_response(request)  # the page says what is wrong
        key = page_key(request, version)
        etag = f'W/"{hashlib.sha256(key.encode()).hexdigest()[:24]}"'
        if etag in parse_etags(request.headers.get("If-None-Match", "").replace(";gzip", "")):
            response = HttpResponseNotModified()
        else:
            response = cache.get(key)
            if response is None:
                token = request_version.set(version)
                try:
                    response = get_response(request)
                finally:
                    request_version.reset(token)
                if not cacheable_response(response):
                    return response
                cache.set(key, response, TIMEOUT)
        response["ETag"] = etag
        # A 304 carries the same directives: a shared cache that revalidated its copy
        # keeps it for as long again.
        shared_cache_control(response)
        patch_vary_headers(response, ["Cookie"])
        return response

    return middleware
