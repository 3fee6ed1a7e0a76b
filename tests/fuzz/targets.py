"""Every public address of the site, as targets for the page fuzzing: each knows how to
build its address on the seeded data, and which segment of it names a record (which the
fuzzing then replaces with anything). `test_every_public_address_is_a_target` checks
that an address added to the site without a target here does not go unnoticed."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from ecosystem.core.models import Country, Sector
from ecosystem.core.registry import registry
from ecosystem.site.sitemaps import sitemaps
from events.models import Event
from suggestions.models import PROPOSED, SUBMITTER

LANGUAGES = [code for code, _name in settings.LANGUAGES]


@dataclass
class Target:
    label: str
    # () -> (path, segment): the address on the seeded data, and the part of it that
    # names a record ("" when none does).
    address: Callable[[], tuple[str, str]]
    method: str = "GET"
    # The form's fields, for POST targets: the fuzzing fills them (and others) at random.
    fields: list[str] = field(default_factory=list)


def named(name, language=None, **kwargs):
    """The address of a URL name, and the value of its only argument if it has one."""
    with translation.override(language):
        path = reverse(name, kwargs=kwargs or None)
    return path, next(iter(kwargs.values()), "")


def first(records, language, attribute="slug"):
    """The page of the first of these records, and the segment that names it."""
    record = records.order_by("pk").first()
    with translation.override(language):
        path = record.get_absolute_url()
    value = getattr(record, attribute)
    # A country's code is written in lower case in its address.
    return path, value.lower() if attribute == "code" else value


def language_targets(language):
    yield Target(f"/{language}/ home", lambda: named("home", language))
    yield Target(f"/{language}/ search", lambda: named("search", language))
    yield Target(f"/{language}/ feed", lambda: named("feed", language))
    yield Target(f"/{language}/ countries", lambda: named("country-list", language))
    yield Target(f"/{language}/ a country", lambda: first(Country.objects.all(), language, "code"))
    yield Target(f"/{language}/ sectors", lambda: named("sector-list", language))
    yield Target(f"/{language}/ a sector", lambda: first(Sector.objects.all(), language))
    for record_type in registry:
        key = record_type.key
        yield Target(f"/{language}/ {key}", lambda t=record_type: named(t.list_url, language))
        yield Target(f"/{language}/ {key} CSV", lambda t=record_type: named(t.export_url, language))
        if record_type.has_pages:
            yield Target(
                f"/{language}/ a page of {key}",
                lambda t=record_type: first(t.published(), language),
            )
    yield Target(
        f"/{language}/ an event's calendar",
        lambda: named(
            "events:event-calendar",
            language,
            slug=Event.objects.published().order_by("pk").first().slug,
        ),
    )
    yield Target(
        f"/{language}/ find support", lambda: named("opportunities:find-support", language)
    )
    yield Target(
        f"/{language}/ who does what where", lambda: named("iati:who-does-what-where", language)
    )
    yield Target(
        f"/{language}/ who does what where CSV",
        lambda: named("iati:who-does-what-where-export", language),
    )
    yield Target(f"/{language}/ follow a list", lambda: named("alerts:follow", language))
    yield Target(f"/{language}/ feed of a list", lambda: named("alerts:feed", language))
    yield Target(
        f"/{language}/ follow a list POST",
        lambda: named("alerts:follow", language),
        method="POST",
        fields=["email", "frequency", "list"],
    )
    for name in ("confirm", "unsubscribe"):
        for method in ("GET", "POST"):
            yield Target(
                f"/{language}/ {name} an alert {method}",
                lambda n=name: named(f"alerts:{n}", language, token="a-signed-token"),
                method=method,
                fields=["frequency", "List-Unsubscribe"] if method == "POST" else [],
            )
    form = ["record_type", *PROPOSED, *SUBMITTER, "website_url"]
    yield Target(f"/{language}/ suggest", lambda: named("suggestions:suggest", language))
    yield Target(
        f"/{language}/ suggest POST",
        lambda: named("suggestions:suggest", language),
        method="POST",
        fields=form,
    )


def targets():
    yield Target("/ (redirects to a language)", lambda: ("/", ""))
    yield Target("healthz", lambda: named("healthz"))
    yield Target("robots.txt", lambda: named("robots"))
    yield Target("favicon.ico", lambda: named("favicon"))
    yield Target("sitemap index", lambda: named("sitemap"))
    for section in sitemaps():
        yield Target(f"sitemap of {section}", lambda s=section: named("sitemap-section", section=s))
    yield Target("events calendar", lambda: named("events-calendar"))
    yield Target("deadlines calendar", lambda: named("deadlines-calendar"))
    yield Target("open dataset", lambda: named("dataset"))
    yield Target("open dataset file", lambda: named("dataset-file", file="programmes.csv"))
    yield Target(
        "language switch POST",
        lambda: named("set_language"),
        method="POST",
        fields=["language", "next"],
    )
    for language in LANGUAGES:
        yield from language_targets(language)


def public_routes():
    """The names of the site's addresses, but for the admin's and the API's (which
    schemathesis fuzzes from its schema)."""
    found = set()

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith((settings.ADMIN_URL, "api/")):
                continue
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, route, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                found.add(namespace + pattern.name)

    walk(get_resolver().url_patterns, "", "")
    return found
