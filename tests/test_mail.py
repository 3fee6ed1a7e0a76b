"""Email as a part of the site: configured from the environment, each message in its
recipient's language with a plain-text and an HTML part, sent through a real SMTP
server (one of the test's own, on loopback), and a server that refuses is logged and
reported, never raised."""

import email
import email.policy
import json
import logging
import socket
import time

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from django.core import mail as outbox

from ecosystem.core import mail
from ecosystem.project.requestlog import JsonFormatter
from tests.test_settings import start

pytestmark = pytest.mark.django_db


def digest_like(language, to="reader@example.org"):
    """A message of the staff digest's templates, with one section."""
    user = get_user_model()(username="reader", first_name="Awa")
    context = {
        "user": user,
        "sections": [{"title": "Drafts", "count": 2, "url": "http://testserver/admin/x/"}],
        "admin_url": "http://testserver/admin/",
        "months": 18,
    }
    return mail.message([to], "Hello & welcome", "staff_digest", context, language)


@pytest.mark.parametrize(
    ("language", "prefix", "words"),
    [
        ("en", "[Tech-support directory] ", "This is what waits for staff"),
        ("fr", "[Annuaire de l’appui à la tech] ", "Voici ce qui attend l’équipe"),
    ],
)
def test_a_message_is_in_its_recipients_language_in_text_and_html(language, prefix, words):
    assert mail.send(digest_like(language))
    (message,) = outbox.outbox
    assert message.subject == prefix + "Hello & welcome"
    assert message.to == ["reader@example.org"]
    assert words in message.body
    assert "<" not in message.body  # plain text, not markup
    ((html_part, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert words in html_part
    assert f'<html lang="{language}">' in html_part


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Keep:
    """An SMTP server's handler that keeps what it receives."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"


@pytest.fixture
def smtp_server(settings):
    handler = Keep()
    server = Controller(handler, hostname="127.0.0.1", port=free_port())
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.hostname, server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    settings.DEFAULT_FROM_EMAIL = "directory@example.org"
    yield handler
    server.stop()


def test_a_message_goes_through_a_real_smtp_server(smtp_server):
    assert mail.send(digest_like("fr", to="awa@example.org"))
    (envelope,) = smtp_server.envelopes
    assert envelope.mail_from == "directory@example.org"
    assert envelope.rcpt_tos == ["awa@example.org"]
    received = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    # The encoded subject is folded onto a line of its own: unfolded, a space leads it.
    assert received["Subject"].strip() == "[Annuaire de l’appui à la tech] Hello & welcome"
    assert received["To"] == "awa@example.org"
    assert received.get_content_type() == "multipart/alternative"
    text = received.get_body(preferencelist=("plain",)).get_content()
    html = received.get_body(preferencelist=("html",)).get_content()
    assert "Voici ce qui attend l’équipe" in text and "<" not in text
    assert '<a href="http://testserver/admin/x/">Drafts</a> (2)' in html


def test_a_server_that_refuses_is_logged_and_reported(settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    with caplog.at_level(logging.INFO, logger="ecosystem.mail"):
        assert mail.send(digest_like("en", to="awa@example.org")) is False
    (record,) = caplog.records
    assert record.levelno == logging.ERROR
    line = JsonFormatter().format(record)
    assert "\n" not in line
    logged = json.loads(line)
    assert logged["logger"] == "ecosystem.mail"
    assert (
        "mail staff_digest not sent to 1 recipient(s): ConnectionRefusedError"
        in (logged["message"])
    )
    assert "duration_ms" in logged
    assert "awa@example.org" not in line
    assert "traceback" not in logged  # the network's fault: its message says all


EMAIL_SETTINGS = (
    "from django.conf import settings as s; "
    "print(s.EMAIL_BACKEND.rsplit('.', 2)[1], s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_TIMEOUT,"
    " s.DEFAULT_FROM_EMAIL, s.SERVER_EMAIL)"
)


def test_development_prints_mail_and_production_sends_it_by_smtp():
    assert start(EMAIL_SETTINGS, DEBUG="1").stdout.split()[0] == "console"
    production = start(
        EMAIL_SETTINGS,
        DEBUG="0",
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="587",
        EMAIL_USE_TLS="1",
        SITE_URL="https://annuaire.example.org",
    )
    assert production.stdout.split() == [
        "smtp",
        "smtp.example.org",
        "587",
        "10",
        "noreply@annuaire.example.org",
        "noreply@annuaire.example.org",
    ]


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({"EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"}, "exclude each other"),
        ({"EMAIL_TIMEOUT": "0"}, "EMAIL_TIMEOUT must be a positive number of seconds"),
        ({"EMAIL_PORT": "smtp"}, "EMAIL_PORT must be an integer"),
    ],
)
def test_a_bad_email_setting_is_named(env, problem):
    result = start(EMAIL_SETTINGS, DEBUG="1", **env)
    assert result.returncode != 0
    assert problem in result.stderr


def test_a_server_that_never_answers_is_given_up_after_email_timeout(settings, caplog):
    # A socket that listens and never speaks: the connection opens, the greeting never comes.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = silent.getsockname()
        settings.EMAIL_TIMEOUT = 0.5
        started = time.monotonic()
        assert mail.send(digest_like("en")) is False
    assert time.monotonic() - started < 5
    assert "not sent to 1 recipient(s)" in caplog.text and "timed out" in caplog.text
