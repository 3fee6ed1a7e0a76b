"""The logs: one JSON line per request and per error, each with the request's id, and
never a password, a token, a cookie or an email address. The lines are read as the
site's handler writes them: pytest's records, formatted by the site's formatter."""

import json
import logging
import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError
from django.http import HttpResponse
from django.test import Client
from django.urls import path
from django.utils.functional import SimpleLazyObject

from ecosystem.project.requestlog import JsonFormatter, TextFormatter, request_log

ROOT = Path(__file__).resolve().parent.parent
EMAIL = "jane.doe@example.org"
PASSWORD = "Correct-Horse-7-battery"
WRONG_PASSWORD = "Wrong-Staple-9-donkey"
TOKEN = "s3cr3t-t0ken-value"


def boom(request, rest):
    raise RuntimeError("boom")


# An address whose view fails, behind the site's middleware.
urlpatterns = [path("boom/<path:rest>", boom)]


@pytest.fixture
def log(caplog):
    caplog.set_level(logging.INFO)
    caplog.handler.setFormatter(JsonFormatter())

    def lines(logger=None):
        parsed = [json.loads(line) for line in caplog.text.splitlines()]
        return [line for line in parsed if logger is None or line["logger"] == logger]

    return lines


def request_lines(log):
    return log("ecosystem.request")


def test_a_page_is_one_line_with_its_request_id(client, db, log):
    response = client.get("/en/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    (line,) = log()
    assert line["logger"] == "ecosystem.request" and line["level"] == "INFO"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/en/", 200)
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert re.fullmatch(r"[0-9a-f]{32}", line["request_id"])
    assert response["X-Request-ID"] == line["request_id"]
    assert "user_id" not in line and "query" not in line
    assert line["message"].startswith("GET /en/ 200 ")
    # Each request gets its own id.
    client.get("/en/", HTTP_ACCEPT_LANGUAGE="en")
    assert len({line["request_id"] for line in log()}) == 2


def test_an_api_call(client, db, log):
    response = client.get("/api/v1/programmes/?page_size=2&q=dakar")
    assert response.status_code == 200
    (line,) = log()
    assert (line["path"], line["query"], line["status"]) == (
        "/api/v1/programmes/",
        "page_size=2&q=dakar",
        200,
    )
    assert line["request_id"] == response["X-Request-ID"]


def test_a_404_is_one_line(client, db, log):
    response = client.get("/en/nowhere/")
    assert response.status_code == 404
    (line,) = log()  # not a second one from Django's own "Not Found" warning
    assert (line["status"], line["level"]) == (404, "WARNING")


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("4f1c2e0a-9b7d-4c3e-8a51-2f0d6b9e7c14", True),  # a uuid
        ("a3f9c2d41b7e4f0a9c8d2e6b1f3a5c7d", True),  # nginx's $request_id
        ("short", False),
        ("x" * 129, False),
        ("id with spaces", False),
        ('abc"}\n{"level": "CRITICAL', False),
        ("<script>alert(1)</script>", False),
    ],
)
def test_a_proxys_request_id_is_kept_when_well_formed(client, db, log, given, kept):
    response = client.get("/en/nowhere/", HTTP_X_REQUEST_ID=given)
    (line,) = log()
    assert line["request_id"] == response["X-Request-ID"]
    assert (line["request_id"] == given) is kept
    if not kept:
        assert re.fullmatch(r"[0-9a-f]{32}", line["request_id"])


def test_a_request_id_from_a_client_not_behind_our_proxy_is_replaced(client, db, log):
    response = client.get(
        "/en/nowhere/", REMOTE_ADDR="203.0.113.9", HTTP_X_REQUEST_ID="forged-0001"
    )
    (line,) = log()
    assert line["request_id"] == response["X-Request-ID"] != "forged-0001"


def test_emails_and_secrets_in_the_address_are_masked(client, db, log):
    client.get(f"/en/search/?q={EMAIL}&token={TOKEN}&api_key=abc12345&page=2")
    client.get(f"/en/people/{EMAIL.replace('@', '%40')}/")
    first, second = log()
    assert first["query"] == "q=[email]&token=[redacted]&api_key=[redacted]&page=2"
    assert second["path"] == "/en/people/[email]/"
    assert EMAIL not in str(log()) and TOKEN not in str(log()) and "abc12345" not in str(log())


@pytest.mark.urls(__name__)
def test_an_error_is_one_line_with_its_traceback_and_request_id(db, log):
    client = Client(raise_request_exception=False)
    response = client.get(f"/boom/{EMAIL}/?token={TOKEN}", HTTP_X_REQUEST_ID="req-0001-abcd")
    assert response.status_code == 500
    assert response["X-Request-ID"] == "req-0001-abcd"
    (error,) = log("django.request")
    (line,) = request_lines(log)
    assert len(log()) == 2
    assert error["level"] == "ERROR" and error["request_id"] == "req-0001-abcd"
    assert error["status"] == 500
    assert error["message"] == "Internal Server Error: /boom/[email]/"
    assert ", in boom\n" in error["traceback"]
    assert error["traceback"].rstrip().endswith("RuntimeError: boom")
    assert (line["status"], line["level"], line["request_id"]) == (500, "ERROR", "req-0001-abcd")
    assert line["path"] == "/boom/[email]/" and line["query"] == "token=[redacted]"
    assert EMAIL not in str(log()) and TOKEN not in str(log())


def test_a_login_logs_the_user_and_none_of_its_secrets(db, log, django_user_model):
    user = django_user_model.objects.create_superuser(EMAIL, EMAIL, PASSWORD)
    client = Client(enforce_csrf_checks=True)
    client.get("/admin/login/")
    csrf = client.cookies[settings.CSRF_COOKIE_NAME].value
    form = {"username": EMAIL, "csrfmiddlewaretoken": csrf, "next": "/admin/"}
    refused = client.post("/admin/login/?next=/admin/", {**form, "password": WRONG_PASSWORD})
    assert refused.status_code == 200  # the form again, with its error
    accepted = client.post("/admin/login/?next=/admin/", {**form, "password": PASSWORD})
    assert accepted.status_code == 302
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get("/admin/").status_code == 200

    login_page, failed, succeeded, admin = request_lines(log)
    assert (failed["method"], failed["path"], failed["status"]) == ("POST", "/admin/login/", 200)
    assert "user_id" not in login_page and "user_id" not in failed
    assert succeeded["status"] == 302 and succeeded["user_id"] == user.pk
    assert admin["user_id"] == user.pk
    written = "\n".join(json.dumps(line) for line in log())
    for secret in (PASSWORD, WRONG_PASSWORD, EMAIL, csrf, session):
        assert secret not in written


def test_an_export_is_logged_when_it_has_streamed(client, db, log):
    response = client.get("/en/programmes/export.csv")
    assert log() == []
    b"".join(response.streaming_content)
    (line,) = log()
    assert (line["path"], line["status"]) == ("/en/programmes/export.csv", 200)


def test_a_database_fault_is_logged_without_the_user_not_turned_into_a_500(rf, log):
    def user():
        raise OperationalError("the database is down")

    request = rf.get("/en/")
    request.user = SimpleLazyObject(user)  # a staff member's session, unreadable
    response = request_log(lambda request: HttpResponse(status=503))(request)
    assert response.status_code == 503
    (line,) = log()
    assert line["status"] == 503 and "user_id" not in line


def test_text_lines_are_one_line_each_and_mask_emails():
    record = logging.makeLogRecord(
        {"name": "x", "levelname": "INFO", "msg": "GET /a\nFAKE %s", "args": (EMAIL,)}
    )
    text = TextFormatter().format(record)
    assert "\n" not in text and EMAIL not in text
    assert text.endswith("x [-] GET /a\\nFAKE [email]")
    assert record.getMessage() == f"GET /a\nFAKE {EMAIL}"  # left as logged for others


def start(code, **env):
    """Configure logging as the site starts, with only these variables, and log a line."""
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "ecosystem.project.settings",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", f"import django, logging; django.setup(); {code}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


LOG_A_LINE = 'logging.getLogger("ecosystem.request").info("GET / 200", extra={"status": 200})'


def test_production_logs_json_and_the_format_is_switchable():
    production = start(LOG_A_LINE, DEBUG="0")
    line = json.loads(production.stderr)
    assert (line["message"], line["status"], line["level"]) == ("GET / 200", 200, "INFO")

    text = start(LOG_A_LINE, DEBUG="0", LOG_FORMAT="text")
    assert re.fullmatch(r"\S+ \S+ INFO ecosystem.request \[-\] GET / 200\n", text.stderr)

    wrong = start("", LOG_FORMAT="xml")
    assert wrong.returncode != 0 and "LOG_FORMAT must be json or text" in wrong.stderr


def test_gunicorn_leaves_the_access_log_to_the_site():
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["accesslog"] is None
