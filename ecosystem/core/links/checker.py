"""The link check: each address the directory cites (every published record's website,
every source's address) asked once, politely, within bounds.

- One request per address: HEAD, then GET when HEAD is refused (an error status: some
  servers answer HEAD wrongly, and a false "broken" would be shown to visitors).
  Redirects are followed here, not by urllib, so that each hop is counted: at most
  MAX_REDIRECTS, a loop is a failure, the final address is kept.
- Polite per host: one check per host every `interval` seconds (the hops of a check
  follow at once, as a browser's would, and make every host they reach wait), hosts
  taken in turn so that a host with many addresses does not hold up the others.
- Bounded: each request has a timeout (connecting, then each read); a run checks at most
  `limit` addresses, the longest unchecked first, and starts no check past
  `max_seconds`. What it could not reach is counted and waits for the next run.
- TLS verified with the system's certificates: a certificate error is a failure.
The standard library's urllib is enough: one request at a time, no body read."""

import heapq
import http.client
import logging
import socket
import ssl
import time
import urllib.error
import urllib.request
from collections import defaultdict, deque
from dataclasses import asdict, dataclass
from datetime import timedelta
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.core import cache
from ecosystem.core.links.models import MARKED_AFTER, LinkCheck, Outcome
from ecosystem.core.models import Source
from ecosystem.core.registry import registry
from ecosystem.jobs.engine import job
from ecosystem.jobs.schedule import scheduled

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 5
REDIRECTS = {301, 302, 303, 307, 308}


@dataclass(frozen=True)
class Result:
    outcome: str
    status: int | None = None
    final_address: str = ""
    detail: str = ""
    hosts: tuple = ()  # every host the check asked (the address's, and its redirects')


@dataclass
class Summary:
    checked: int = 0
    ok: int = 0
    redirected: int = 0
    broken: int = 0
    skipped_for_rate: int = 0  # left because the run's time ended while their host waited
    over_limit: int = 0  # left because the run checks at most `limit` addresses
    stopped: str = ""  # why the run stopped before checking every address, if it did

    def count(self, result):
        self.checked += 1
        if result.outcome == Outcome.OK:
            self.ok += 1
        elif result.outcome == Outcome.REDIRECTED:
            self.redirected += 1
        else:
            self.broken += 1


def user_agent():
    """Names the directory, its public address and, when set, whom to write to."""
    about = "; ".join(filter(None, [f"+{settings.SITE_URL}", settings.LINK_CHECK_CONTACT]))
    return f"ecosystem-directory-linkcheck/1.0 ({about})"


def host_of(address):
    """The host of a web address, or "" when `address` is not one (http or https)."""
    try:
        parts = urlsplit(address)
        host = parts.hostname or ""
        parts.port  # noqa: B018  (a port that is not a number raises here)
    except ValueError:
        return ""
    return host if parts.scheme in {"http", "https"} else ""


class _FollowNoRedirect(urllib.request.HTTPRedirectHandler):
    # The checker follows them itself, counting the hops and spotting loops: a redirect
    # comes back as an HTTPError with its status and Location.
    def redirect_request(self, *args, **kwargs):
        return None


def opener():
    return urllib.request.build_opener(
        _FollowNoRedirect, urllib.request.HTTPSHandler(context=ssl.create_default_context())
    )


def ask(open_url, address, method, timeout):
    """(status, headers) of one request; the body is never read."""
    request = urllib.request.Request(
        address, method=method, headers={"User-Agent": user_agent(), "Accept": "*/*"}
    )
    try:
        with open_url(request, timeout=timeout) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        error.close()
        return error.code, error.headers


def failure(error):
    """The outcome and a short detail of a request that got no HTTP answer."""
    reason = error.reason if isinstance(error, urllib.error.URLError) else error
    if isinstance(reason, TimeoutError):
        return Outcome.TIMEOUT, str(reason) or "timed out"
    if isinstance(reason, ssl.SSLError | ssl.CertificateError):
        return Outcome.TLS_ERROR, getattr(reason, "verify_message", "") or str(reason)
    if isinstance(reason, socket.gaierror):
        return Outcome.DNS_ERROR, str(reason)
    if isinstance(reason, ValueError | UnicodeError):
        return Outcome.INVALID, str(reason)
    return Outcome.CONNECTION_ERROR, str(reason) or type(reason).__name__


def check(address, *, timeout, open_url=None):
    """The Result of asking `address`, following its redirects. Never raises for what
    the address or the remote site does."""
    open_url = open_url or opener().open
    if not host_of(address):
        return Result(Outcome.INVALID, detail="not an http or https address")
    current, seen = address, [address]
    for _hop in range(MAX_REDIRECTS + 1):
        hosts = tuple(dict.fromkeys(host_of(a) for a in seen))
        try:
            status, headers = ask(open_url, current, "HEAD", timeout)
            if status >= 400:
                status, headers = ask(open_url, current, "GET", timeout)
        except (OSError, http.client.HTTPException, ValueError) as error:
            outcome, detail = failure(error)
            return Result(outcome, None, current, detail, hosts)
        location = headers.get("Location") if status in REDIRECTS else None
        if location is None:
            if status >= 400:
                return Result(Outcome.HTTP_ERROR, status, current, f"HTTP {status}", hosts)
            outcome = Outcome.OK if current == address else Outcome.REDIRECTED
            return Result(outcome, status, current, "", hosts)
        target = urljoin(current, location)
        if not host_of(target):
            return Result(Outcome.INVALID, status, target, "redirected to a non-web address", hosts)
        if target in seen:
            return Result(Outcome.TOO_MANY_REDIRECTS, status, target, "redirect loop", hosts)
        current = target
        seen.append(target)
    hosts = tuple(dict.fromkeys(host_of(a) for a in seen))
    detail = f"more than {MAX_REDIRECTS} redirects"
    return Result(Outcome.TOO_MANY_REDIRECTS, status, current, detail, hosts)


def cited_addresses():
    """Every address the public directory cites: published records' websites, each
    registered type's, and sources' addresses."""
    found = set()
    for model in dict.fromkeys(record_type.model for record_type in registry):
        websites = model.objects.published().exclude(website="").order_by()
        found.update(websites.values_list("website", flat=True).distinct())
    found.update(Source.objects.exclude(url="").order_by().values_list("url", flat=True).distinct())
    return found


def on_host(addresses, host=None):
    """The `addresses` on `host`, or all of them without one."""
    return {a for a in addresses if host_of(a) == host.lower()} if host else addresses


def check_links(
    *,
    limit=None,
    host=None,
    interval=None,
    timeout=None,
    max_seconds=None,
    tick=lambda: None,
    open_url=None,
    clock=time.monotonic,
    sleep=time.sleep,
):
    """Check the cited addresses, the longest unchecked first, and keep each outcome in
    its LinkCheck row; the Summary says what was found and what was left. `host` checks
    only that host's addresses. What the job engine schedules weekly."""
    limit = settings.LINK_CHECK_MAX_ADDRESSES if limit is None else limit
    interval = settings.LINK_CHECK_INTERVAL if interval is None else interval
    timeout = settings.LINK_CHECK_TIMEOUT if timeout is None else timeout
    max_seconds = settings.LINK_CHECK_MAX_SECONDS if max_seconds is None else max_seconds
    deadline = clock() + max_seconds
    open_url = open_url or opener().open
    summary = Summary()

    kept = {row.address: row for row in LinkCheck.objects.all()}
    cited = cited_addresses()
    # An address nobody cites any more (staff corrected a website) is forgotten: the
    # dashboard lists only what staff can act on.
    gone = [row.pk for address, row in kept.items() if address not in cited]
    for start in range(0, len(gone), 500):
        LinkCheck.objects.filter(pk__in=gone[start : start + 500]).delete()
    marked_before = {a for a, row in kept.items() if row.consecutive_failures >= MARKED_AFTER}
    kept = {address: row for address, row in kept.items() if address in cited}
    addresses = on_host(cited, host)
    oldest_first = sorted(
        addresses, key=lambda a: (a in kept, kept[a].checked if a in kept else None, a)
    )
    if len(oldest_first) > limit:
        summary.over_limit = len(oldest_first) - limit
        summary.stopped = f"limit of {limit} addresses reached"
        oldest_first = oldest_first[:limit]

    # Addresses that are not web addresses are recorded at once: nothing to ask.
    queues = defaultdict(deque)
    for address in oldest_first:
        queues[host_of(address)].append(address)

    def keep(address, result):
        row = kept.get(address) or LinkCheck(address=address)
        row.record(result, timezone.now())
        row.save()
        kept[address] = row
        summary.count(result)
        tick()

    for address in queues.pop("", ()):
        keep(address, check(address, timeout=timeout, open_url=open_url))

    free_at = defaultdict(float)  # host: when it may be asked again
    turns = [(0.0, name) for name in sorted(queues)]
    heapq.heapify(turns)
    while turns:
        at, name = heapq.heappop(turns)
        if free_at[name] > at:  # a redirect of another check reached this host since
            heapq.heappush(turns, (free_at[name], name))
            continue
        if max(at, clock()) + timeout > deadline:
            summary.skipped_for_rate = len(queues[name]) + sum(len(queues[n]) for _, n in turns)
            summary.stopped = f"time limit of {max_seconds:g} s reached"
            break
        if at > clock():
            sleep(at - clock())
        address = queues[name].popleft()
        result = check(address, timeout=timeout, open_url=open_url)
        keep(address, result)
        for asked in {name, *result.hosts}:
            free_at[asked] = clock() + interval
        if queues[name]:
            heapq.heappush(turns, (free_at[name], name))

    marked_after = {a for a, row in kept.items() if row.consecutive_failures >= MARKED_AFTER}
    if marked_after != marked_before:
        cache.bump()  # public pages show or drop the notice "this address did not answer"
    logger.info("link check: %s", summary)
    return summary


# Network work, no transaction held while hosts answer; each address's outcome is saved as
# it comes. The run stops starting checks after LINK_CHECK_MAX_SECONDS: the job's own limit
# leaves room for the checks under way.
@job(
    title=_("Check the links"),
    atomic=False,
    time_limit=settings.LINK_CHECK_MAX_SECONDS + 10 * settings.LINK_CHECK_TIMEOUT + 60,
)
def weekly_link_check():
    return asdict(check_links())


scheduled(weekly_link_check, every=timedelta(weeks=1))
