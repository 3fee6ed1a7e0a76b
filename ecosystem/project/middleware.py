"""What every response carries and every request is cleaned of, before any view runs.

- `trusted_proxies`: X-Forwarded-* and X-Request-ID are believed only from TRUSTED_PROXIES; the
  client's address (for the login lock-out and the suggestion rate limit) is then the
  last address the proxies saw, and from anyone else the headers are dropped.
- `canonical_host`: absolute links (sitemap, feed, API, calendars, canonical tags) are
  built from SITE_URL, never from the Host header a client sent.
- `address_in_other_words`: an address under /fr/ in English words (/fr/organizations/optic/)
  answers 301 to the same page in French words (/fr/organisations/optic/), and the other
  way round under /en/.
- `bounded_body`: a request body past MAX_REQUEST_BYTES is refused (413) before anything
  reads it: Django's CSRF check would otherwise parse any POST, an anonymous one too, and
  spool its files to disk whatever their size.
- `security_headers`: a strict Content-Security-Policy (scripts, styles, images and
  connections from this site only, no inline script or style, no framing), a
  Permissions-Policy that turns off the browser features the site never uses, and a
  Cross-Origin-Resource-Policy; the open data (API, feeds, calendars, CSV) is shared
  with every origin through CORS, and nothing else is.
"""

import ipaddress
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.template.defaultfilters import filesizeformat
from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext as _

from ecosystem.core.paths import same_page_in_words_of

POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # Data URIs: the small icons inside vendored stylesheets (Swagger UI, admin);
        # logos from wherever MEDIA_STORAGE keeps them.
        " ".join(["img-src 'self' data:", *settings.MEDIA_ORIGINS]),
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)
# Answers other sites' scripts may read: everything a partner reuses, nothing with a
# form or a session behind it.
OPEN_DATA_TYPES = ("text/csv", "text/calendar", "application/atom+xml")
# What only our proxies may tell: the client's address, the scheme, the public host and
# the request's id in their logs (ecosystem.project.requestlog).
FORWARDED = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_REQUEST_ID",
)


def is_open_data(request, response):
    content_type = response.get("Content-Type", "")
    if request.path.startswith("/api/"):
        return not content_type.startswith("text/html")
    return content_type.startswith(OPEN_DATA_TYPES)


def security_headers(get_response):
    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS)
        if is_open_data(request, response):
            response.headers["Access-Control-Allow-Origin"] = "*"
            response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
        else:
            response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response

    return middleware


@cache
def networks(proxies: tuple[str, ...]):
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def is_trusted(address: str, trusted) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_address(remote_addr: str, forwarded_for: str, trusted) -> str:
    """The first address, from the right of X-Forwarded-For, that is not one of our
    proxies: what the outermost proxy saw. Addresses further left were written by the
    client itself and prove nothing."""
    address = remote_addr
    for hop in reversed([hop.strip() for hop in forwarded_for.split(",") if hop.strip()]):
        if not is_trusted(address, trusted):
            break
        address = hop
    return address


def trusted_proxies(get_response):
    def middleware(request):
        trusted = networks(tuple(settings.TRUSTED_PROXIES))
        remote = request.META.get("REMOTE_ADDR", "")
        if is_trusted(remote, trusted):
            forwarded_for = request.META.get("HTTP_X_FORWARDED_FOR", "")
            if forwarded_for:
                request.META["REMOTE_ADDR"] = client_address(remote, forwarded_for, trusted)
        else:
            for header in FORWARDED:
                request.META.pop(header, None)
        return get_response(request)

    return middleware


def canonical_host(get_response):
    """After SecurityMiddleware (its HTTPS redirect needs the real scheme): the Host is
    still checked against ALLOWED_HOSTS, then replaced by SITE_URL's, scheme and port
    included. In development (DEBUG on) the site answers on whatever address it is
    opened at."""

    def middleware(request):
        if not settings.DEBUG:
            request.get_host()  # DisallowedHost (400) for a host not allowed
            site = urlsplit(settings.SITE_URL)
            request.META["HTTP_HOST"] = site.netloc
            request.META["wsgi.url_scheme"] = site.scheme
            request.META.pop("HTTP_X_FORWARDED_HOST", None)
            if settings.SECURE_PROXY_SSL_HEADER:
                request.META.pop(settings.SECURE_PROXY_SSL_HEADER[0], None)
        return get_response(request)

    return middleware


def declared_length(request):
    """The body's length as the client declared it: what Django will read, no more."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:  # Django reads such a body as empty
        return 0


def bounded_body(get_response):
    """After LocaleMiddleware, so that the refusal is in the visitor's language. A body
    sent without a length (chunked) is read by Django as empty: only the declared length
    matters, and nothing past it is ever read."""

    def middleware(request):
        if declared_length(request) > settings.MAX_REQUEST_BYTES:
            message = _(
                "This request is too large: the site takes at most %(limit)s. "
                "Split the file, or send less."
            ) % {"limit": filesizeformat(settings.MAX_REQUEST_BYTES)}
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return get_response(request)

    return middleware


def address_in_other_words(get_response):
    """After LocaleMiddleware: a 404 under a language prefix whose path is a page in
    another language's words (an English address shared before the French words, or a
    visitor changing /en/ to /fr/ by hand) answers 301 to that page in the prefix's
    words, query string kept. Only 404s are looked at, each at the cost of resolving the
    path once per language; a form sent (POST) is not redirected."""

    def middleware(request):
        response = get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        address = same_page_in_words_of(request.path_info)
        if address is None:
            return response
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(address + (f"?{iri_to_uri(query)}" if query else ""))

    return middleware
