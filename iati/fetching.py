"""Fetch an IATI file from the web, only from the hosts staff allow
(settings.IATI_ALLOWED_HOSTS: a publisher's site, IATI's datastore), and within bounds:
its size (IATI_MAX_BYTES, from its Content-Length first, then as it is read) and time
(IATI_FETCH_SECONDS for the whole of it, each connection and read too). Redirects are
followed here, each hop's host checked, at most MAX_REDIRECTS. The body goes to a
temporary file (in memory while small) that the reader then streams."""

import http.client
import ssl
import tempfile
import time
import urllib.error
import urllib.request
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from iati.reading import IatiFileError

MAX_REDIRECTS = 5
CHUNK = 64 * 1024


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # followed by fetch(), host by host


def allowed(address):
    """Whether `address` is an http(s) address on an allowed host."""
    try:
        parts = urlsplit(address)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018  (a port that is not a number raises here)
    except ValueError:
        return False
    hosts = {host.lower() for host in settings.IATI_ALLOWED_HOSTS}
    return parts.scheme in {"http", "https"} and host in hosts


def refuse_host(address):
    if not allowed(address):
        raise IatiFileError(
            _("%(address)s is not on a host the directory fetches IATI files from (%(hosts)s).")
            % {"address": address[:200], "hosts": ", ".join(settings.IATI_ALLOWED_HOSTS)}
        )


def fetch(address, *, max_bytes=None, seconds=None):
    """A temporary binary file holding the body at `address`, at its start. Raises
    IatiFileError with a message for staff when the address, a redirect, the answer, a
    limit or the network refuses it."""
    max_bytes = settings.IATI_MAX_BYTES if max_bytes is None else max_bytes
    seconds = settings.IATI_FETCH_SECONDS if seconds is None else seconds
    deadline = time.monotonic() + seconds
    opener = urllib.request.build_opener(
        _NoRedirect, urllib.request.HTTPSHandler(context=ssl.create_default_context())
    )
    current = address
    for _hop in range(MAX_REDIRECTS + 1):
        refuse_host(current)
        request = urllib.request.Request(
            current,
            headers={
                "User-Agent": "ecosystem-directory-iati/1.0",
                "Accept": "application/xml, text/xml, */*",
            },
        )
        try:
            response = opener.open(request, timeout=max(1, deadline - time.monotonic()))
        except urllib.error.HTTPError as error:
            error.close()
            location = (
                error.headers.get("Location") if error.code in (301, 302, 303, 307, 308) else None
            )
            if location:
                current = urljoin(current, location)
                continue
            raise IatiFileError(
                _("%(address)s answered HTTP %(status)s.")
                % {"address": current[:200], "status": error.code}
            ) from error
        except (OSError, http.client.HTTPException, ValueError) as error:
            raise IatiFileError(
                _("%(address)s could not be fetched: %(error)s.")
                % {"address": current[:200], "error": error}
            ) from error
        with response:
            return body(response, current, max_bytes, deadline, seconds)
    raise IatiFileError(
        _("%(address)s redirects more than %(max)s times.")
        % {"address": address[:200], "max": MAX_REDIRECTS}
    )


def too_large(max_bytes):
    return IatiFileError(
        _("The file is larger than %(max)s.") % {"max": filesizeformat(max_bytes)}, too_large=True
    )


def body(response, address, max_bytes, deadline, seconds):
    length = response.headers.get("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise too_large(max_bytes)
    file = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)  # noqa: SIM115 - returned open
    size = 0
    try:
        while chunk := response.read(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise too_large(max_bytes)
            if time.monotonic() > deadline:
                raise IatiFileError(
                    _("%(address)s took more than %(seconds)s seconds.")
                    % {"address": address[:200], "seconds": seconds}
                )
            file.write(chunk)
    except (OSError, http.client.HTTPException) as error:
        file.close()
        raise IatiFileError(
            _("%(address)s could not be fetched: %(error)s.")
            % {"address": address[:200], "error": error}
        ) from error
    except IatiFileError:
        file.close()
        raise
    file.seek(0)
    return file
