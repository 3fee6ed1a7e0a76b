"""One log line per request, and one per error, that a log collector can read: JSON by
default in production (`LOG_FORMAT=json|text`, settings' LOGGING block).

A request line holds the method, the path, the query string, the status, the duration
in milliseconds, the request's id and the user's id (when logged in). It never holds a
password, a token, a cookie or an email address: bodies, headers and cookies are not
logged at all; query-string parameters named like secrets are replaced, and an email
address anywhere in a line (a path, a query string, a library's message, a traceback)
is masked.

The request id comes from the proxy's X-Request-ID when it is well-formed, else it is
made here; it is sent back as X-Request-ID and is on every line logged while the request
runs (Django's error line with its traceback included), so one id finds them all."""

import contextvars
import datetime
import json
import logging
import re
import time
import uuid
from urllib.parse import parse_qsl, urlencode

from django.db import DatabaseError
from django.http import FileResponse

logger = logging.getLogger("ecosystem.request")

# The id of the request being served, for any line logged meanwhile.
current_request_id = contextvars.ContextVar("request_id", default=None)

# What proxies send (uuid4, nginx's $request_id: 32 hex digits, Heroku's...): letters,
# digits, dots, dashes and underscores, 8 to 128 of them. Anything else is replaced,
# so that a client cannot put markup, line breaks or a megabyte into the logs.
WELL_FORMED_ID = re.compile(r"[A-Za-z0-9._-]{8,128}")
# Query-string parameters whose values are never logged.
SECRET_PARAMETER = re.compile(
    r"pass|secret|token|key|sig|auth|session|csrf|code|otp|credential", re.IGNORECASE
)
# An address, "@" written or percent-encoded. The name leaves out "/", "=", "&", "?" and
# "%" (allowed by RFC 5322, never seen in practice), so that a path or a query around it
# stays readable.
EMAIL = re.compile(r"[\w.!#$'*+^`{|}~-]+(?:@|%40)[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
MASKED_EMAIL = "[email]"
REDACTED = "[redacted]"
# Long enough for any address the site makes; a longer one is cut, not logged whole.
LONGEST = 2000
# The fields a line may carry besides its message, in this order: nothing else a
# library attaches to a record (Django's error record carries the request itself). A
# job's lines (ecosystem/jobs/worker.py) carry its id, its task, attempt and outcome.
FIELDS = (
    "method",
    "path",
    "query",
    "status",
    "duration_ms",
    "request_id",
    "user_id",
    "job_id",
    "job",
    "attempt",
    "outcome",
)


def masked(text):
    return EMAIL.sub(MASKED_EMAIL, text)


def loggable_query(query_string):
    """The query string with secrets replaced and email addresses masked."""
    pairs = [
        (name, REDACTED if SECRET_PARAMETER.search(name) else masked(value))
        for name, value in parse_qsl(query_string, keep_blank_values=True)
    ]
    return urlencode(pairs, safe="[]/:,")[:LONGEST]


def incoming_request_id(request):
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    return given if WELL_FORMED_ID.fullmatch(given) else uuid.uuid4().hex


def user_id(request):
    """The logged-in user's id. Looking the user up needs the database: when it is down,
    the answer (a 503) is logged without the user rather than turned into a 500 here."""
    user = getattr(request, "user", None)
    try:
        return user.pk if user is not None and user.is_authenticated else None
    except DatabaseError:
        return None


def request_log(get_response):
    """Near the top of MIDDLEWARE: the duration counts the other middleware, and every
    answer, a redirect to https or a static file included, carries its id."""

    def middleware(request):
        request_id = incoming_request_id(request)
        request.id = request_id
        token = current_request_id.set(request_id)
        start = time.perf_counter()
        try:
            response = get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request_id
        fields = {
            "method": request.method,
            "path": masked(request.path)[:LONGEST],
            "query": loggable_query(request.META.get("QUERY_STRING", "")) or None,
            "status": response.status_code,
            "request_id": request_id,
            "user_id": user_id(request),
        }
        if response.streaming and not response.is_async and not isinstance(response, FileResponse):
            # An export streams for as long as it takes: its line comes at its end. (Not
            # a static file: wrapped, it could no longer be handed to the server whole.)
            response.streaming_content = logged_at_end(response.streaming_content, fields, start)
        else:
            log(fields, start)
        return response

    return middleware


def logged_at_end(content, fields, start):
    try:
        yield from content
    finally:
        log(fields, start)


def log(fields, start):
    fields["duration_ms"] = round((time.perf_counter() - start) * 1000, 1)
    status = fields["status"]
    level = logging.ERROR if status >= 500 else logging.WARNING if status >= 400 else logging.INFO
    query = f"?{fields['query']}" if fields["query"] else ""
    logger.log(
        level,
        "%s %s%s %s %sms",
        fields["method"],
        fields["path"],
        query,
        status,
        fields["duration_ms"],
        extra=fields,
    )


def request_id_of(record):
    return getattr(record, "request_id", None) or current_request_id.get()


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, the request's
    fields when there are some, and the traceback of an error."""

    def format(self, record):
        line = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": masked(record.getMessage()),
        }
        for name in FIELDS:
            value = getattr(record, name, None)
            if name == "request_id":
                value = request_id_of(record)
            elif name == "status" and value is None:
                value = getattr(record, "status_code", None)  # Django's error lines
            if value is not None:
                line[name] = value
        if record.exc_info:
            line["traceback"] = masked(self.formatException(record.exc_info))
        elif record.exc_text:
            line["traceback"] = masked(record.exc_text)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """For a person at a terminal: time, level, logger, request id, message. Line
    breaks in the message are escaped, so that one request is one line."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record):
        message = masked(record.getMessage()).replace("\r", "\\r").replace("\n", "\\n")
        # A copy: other handlers (pytest's, Sentry's) see the record as it was logged.
        copy = logging.makeLogRecord(
            {
                **record.__dict__,
                "msg": message,
                "args": None,
                "request_id": request_id_of(record) or "-",
            }
        )
        return masked(super().format(copy))
