"""A cache for what is costly and shared, correct across processes. Each result is kept
with the versions of the data it was made from: numbers in the database, one per record
type (`scope` "programmes", "smes"...), one per record of a type that other pages show by
name only ("smes:42", RecordType.by_record), and one for everything (""), bumped by the
saves, deletes and link changes of what they cover (ecosystem.core.signals), in the same
transaction. A result whose versions moved is old; it expires on its own.

Two levels use it: `cached()` for results shared by many pages (counts per country and
sector, per record type), under every type's version, and `page_cache`, the middleware
that keeps whole public answers for visitors, each under the versions of what it shows:
a page of one type depends on its type, every type its rows may show, and the records
of a by_record type it showed (an SME's edit leaves programme pages warm, unless one
names that SME); shared pages (home, hubs, search, feeds, sitemaps) depend on all. A
kept answer made old by an edit is still served for PAGE_STALE_SECONDS after that edit,
and the first request to have it makes the new one once its answer is sent; past that,
it is made before it is served. It answers a repeat visit with 304 Not Modified. The
answers it keeps may also be kept by a shared cache in front of the site (nginx, a
CDN), for EDGE_CACHE_SECONDS; nothing else may."""

import functools
import hashlib
import logging
import time
from contextvars import ContextVar
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, IntegrityError, models, transaction
from django.db.models import F, Sum
from django.http import HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags
from django.utils.translation import gettext_lazy as _

from ecosystem.core.registry import registry

logger = logging.getLogger(__name__)

TIMEOUT = 24 * 3600
EVERYTHING = ""  # the scope every result depends on: bumped by bulk writes
# Query parameters that page, order or filter a list without naming any record: by a
# country, a sector, or a value of the record's own (its kind, status, year...). A list
# filtered by them alone depends on what its unfiltered pages depend on; any other (a
# text, a series, a funder) may name any record, and its list depends on all.
PLAIN_PARAMETERS = {
    *("page", "page_size", "sort"),
    *("country", "sector"),
    *("kind", "status", "existence", "year", "when", "stage", "open"),
}


class DataVersion(models.Model):
    """The version of one scope of the directory's data: cached results carry the
    versions they were made from, so an edit in any process makes every process's results
    that show it old, and theirs only. `changed_at` says since when a kept page is old."""

    scope = models.CharField(max_length=80, unique=True, default=EVERYTHING)
    number = models.PositiveBigIntegerField(default=1)
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "ecosystem"
        verbose_name = _("data version")

    def __str__(self):
        return f"{self.scope or '*'} {self.number}"


# The versions a visitor's request has read (page_cache): `cached()` uses them rather
# than asking the database again.
request_versions = ContextVar("request_versions", default=None)
# The records of by_record types a page being made has shown (their scopes), or None.
shown = ContextVar("shown_records", default=None)


def type_scopes():
    return [t.key for t in registry]


def record_scope(record_type, pk):
    return f"{record_type.key}:{pk}"


def versions(scopes):
    """{scope: (number, changed_at)}, in one query; a scope never bumped is at 0."""
    found = dict.fromkeys(scopes, (0, None))
    rows = DataVersion.objects.filter(scope__in=found).values_list("scope", "number", "changed_at")
    found.update((scope, (number, changed)) for scope, number, changed in rows)
    return found


def data_version():
    """One number that grows with any change to the data (export files are labelled
    with it)."""
    known = request_versions.get() or {}
    scopes = [EVERYTHING, *type_scopes()]
    if all(scope in known for scope in scopes):
        return sum(known[scope][0] for scope in scopes)
    total = DataVersion.objects.filter(scope__in=scopes).aggregate(total=Sum("number"))["total"]
    return total or 0


@transaction.atomic
def bump(*scopes):
    """What these scopes cover changed (everything if none is named): the results made
    from them are to be made again. One writer at a time, in the order they come, as
    the lock on the version for everything is taken first: two edits never wait on each
    other's versions."""
    scopes = sorted(set(scopes)) or [EVERYTHING]
    list(DataVersion.objects.select_for_update().filter(scope=EVERYTHING).values_list("pk"))
    now = timezone.now()
    moved = DataVersion.objects.filter(scope__in=scopes)
    if moved.update(number=F("number") + 1, changed_at=now) == len(scopes):
        return
    missing = set(scopes) - set(moved.values_list("scope", flat=True))
    for scope in sorted(missing):
        try:
            with transaction.atomic():
                DataVersion.objects.create(scope=scope, number=1, changed_at=now)
        except IntegrityError:  # made by another edit meanwhile
            DataVersion.objects.filter(scope=scope).update(number=F("number") + 1, changed_at=now)


def bump_records(records):
    """These records changed: their types, and each record of a by_record type."""
    scopes = set()
    for record in records:
        for record_type in registry.types_of(record):
            scopes.add(record_type.key)
            if record_type.by_record:
                scopes.add(record_scope(record_type, record.pk))
    if scopes:
        bump(*scopes)


def note_shown(sender, instance, **kwargs):
    """post_init of a by_record type's model: a page being made shows this record."""
    seen = shown.get()
    if seen is None or instance.pk is None:
        return
    holders = [t for t in registry if t.model is sender and t.by_record]
    if not instance.get_deferred_fields():  # else `holds` would read the record again
        holders = [t for t in holders if t.holds is None or t.holds(instance)]
    seen.update(record_scope(t, instance.pk) for t in holders)


def cached(key, compute, *, per_language=False):
    """`compute()`'s result, from the cache while no record type has changed."""
    language = translation.get_language() if per_language else ""
    scopes = [EVERYTHING, *type_scopes()]
    known = request_versions.get() or {}
    if not all(scope in known for scope in scopes):
        known = versions(scopes)
    stamp = "-".join(str(known[scope][0]) for scope in scopes)
    full_key = f"directory:{stamp}:{language}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, TIMEOUT)
    return value


def page_key(request):
    """Where a public answer is kept: the day (what is upcoming or past), the language and
    the full path with its query. The versions it was made from are kept with it."""
    language = translation.get_language() or ""
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"page:{date.today().isoformat()}:{language}:{path}"


def typed_pages():
    """{URL name: record type} of the pages of one type: its list, export, pages, API."""
    names = {}
    for record_type in registry:
        for name in (record_type.list_url, record_type.export_url):
            names[name] = record_type
        names[f"api:{record_type.key}-list"] = names[f"api:{record_type.key}-detail"] = record_type
    for record_type in registry:  # an SME's page is an organization's
        if record_type.has_pages:
            names.setdefault(record_type.list_url.replace("-list", "-detail"), record_type)
    return names


def page_scopes(request):
    """The scopes a page depends on as a whole. A page of one type depends on every type
    but those shown by record, filtered by PLAIN_PARAMETERS or not; a list filtered
    otherwise (its query may name any record), a by_record type's own pages and shared
    pages depend on all."""
    everything = [EVERYTHING, *type_scopes()]
    try:
        name = resolve(request.path_info).view_name
    except Resolver404:
        return everything
    record_type = typed_pages().get(name)
    if record_type is None or record_type.by_record or set(request.GET) - PLAIN_PARAMETERS:
        return everything
    return [EVERYTHING, *(t.key for t in registry if not t.by_record)]


def by_record_types():
    return [t.key for t in registry if t.by_record]


def make_page(request, get_response, scopes):
    """The answer, and what to keep of it: its versions, read before it is made, and those
    of the records it showed by record, read after (kept only if no such record changed
    meanwhile); None when it is not to be kept."""
    watched = by_record_types()
    made = time.time()  # any edit that makes this answer old comes later
    try:
        before = versions([*scopes, *watched])
    except DatabaseError:
        return get_response(request), None  # the page says what is wrong
    tracked = not set(watched) <= set(scopes)
    version_token = request_versions.set(before)
    shown_token = shown.set(set() if tracked else None)
    try:
        response = get_response(request)
        records = shown.get() or set()
    finally:
        request_versions.reset(version_token)
        shown.reset(shown_token)
    if not cacheable_response(response):
        return response, None
    kept = {scope: before[scope][0] for scope in scopes}
    if records:
        after = versions([*records, *watched])
        if any(after[scope] != before[scope] for scope in watched):
            return response, None  # one of them may have changed while the page was made
        kept.update((scope, after[scope][0]) for scope in records)
    return response, {"response": response, "versions": kept, "made": made}


def stale_since(entry, current):
    """None if the kept answer is current, else when it became old: the time of the edit
    that made it so, if each of its versions moved by one edit; else, as the first of
    several edits is not known, when the answer was made (they all came later)."""
    moved = [scope for scope, number in entry["versions"].items() if current[scope][0] != number]
    if not moved:
        return None
    edits = [current[s][1] for s in moved if current[s][0] == entry["versions"][s] + 1]
    if len(edits) == len(moved) and None not in edits:
        return min(edits)
    if "made" in entry:
        return datetime.fromtimestamp(entry["made"], UTC)
    return timezone.now() - timedelta(days=365)


def page_etag(key, entry):
    stamp = ",".join(f"{scope}={n}" for scope, n in sorted(entry["versions"].items()))
    return f'W/"{hashlib.sha256(f"{key}|{stamp}".encode()).hexdigest()[:24]}"'


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


def streamed_export(response):
    """A visitor's export sent as it is written: too large to keep whole here, but a
    shared cache in front may keep it (one cut short by a fault never ends cleanly, so
    nginx keeps no part of it). A prepared file and its page say never_cache."""
    return (
        response.status_code == 200
        and response.streaming
        and not response.cookies
        and "Cache-Control" not in response
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
    """Visitors' answers kept whole, under the versions of what they show: a repeat of any
    public page, API answer, feed or sitemap costs one query (the versions) and a cache
    read. After an edit, the old answer is served for PAGE_STALE_SECONDS more; the first
    request to have it (taking a lock in the cache) makes the new one once its own answer
    is sent, so that no visitor waits for it. Past that window, every request waits for
    a new one. Each carries an ETag; a browser that sends it back gets 304 Not
    Modified while the answer is the same. Exports (streamed) and staff's pages are never
    kept here (a streamed export may be kept by a shared cache in front), and what staff
    and the admin are answered is marked private, so that no shared
    cache in front keeps a draft or a staff screen whatever its own rules."""

    def middleware(request):
        if not cacheable_request(request):
            response = get_response(request)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        key = page_key(request)
        entry = cache.get(key)
        try:
            old_since = stale_since(entry, versions(entry["versions"])) if entry else None
        except DatabaseError:
            return get_response(request)  # the page says what is wrong
        remake = False
        if old_since:
            if timezone.now() - old_since >= timedelta(seconds=settings.PAGE_STALE_SECONDS):
                entry = None
            else:
                remake = cache.add(f"{key}:rebuilding", time.time(), settings.PAGE_STALE_SECONDS)
        if entry is None:
            response, entry = make_page(request, get_response, page_scopes(request))
            keep(key, entry)
            if entry is None:
                if streamed_export(response):
                    shared_cache_control(response)
                return response
        etag = page_etag(key, entry)
        if etag in parse_etags(request.headers.get("If-None-Match", "").replace(";gzip", "")):
            response = HttpResponseNotModified()
        else:
            response = entry["response"]
        response["ETag"] = etag
        # A 304 carries the same directives: a shared cache that revalidated its copy
        # keeps it for as long again.
        shared_cache_control(response)
        patch_vary_headers(response, ["Cookie"])
        if remake:
            # Run by the server once the old answer is sent (a WSGI response's close()).
            language = translation.get_language()
            response._resource_closers.append(
                functools.partial(make_again, request, get_response, key, language)
            )
        return response

    return middleware


def keep(key, entry):
    """Keep a new answer and give back the lock; after an error (None), keep nothing:
    an old answer is not to outlive the new one's error."""
    if entry is None:
        cache.delete(key)
    else:
        cache.set(key, entry, TIMEOUT)
    cache.delete(f"{key}:rebuilding")


def make_again(request, get_response, key, language):
    """The new answer of a request that was sent the old one, made after it was sent. The
    request's own log line (and gunicorn's) timed the answer only: this one says what
    making it again cost the worker."""
    started = time.monotonic()
    try:
        with translation.override(language):
            keep(key, make_page(request, get_response, page_scopes(request))[1])
    except Exception:  # the visitor has the old answer; the lock lapses, the next one tries
        logger.exception("The page kept for %s could not be made again", request.path)
        return
    elapsed = (time.monotonic() - started) * 1000
    logger.info(
        "Made again after its old answer was sent: %s %.1fms",
        request.get_full_path(),
        elapsed,
        extra={"path": request.path, "duration_ms": round(elapsed, 1)},
    )
