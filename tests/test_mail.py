"""Email (ecosystem/core/mail.py): in the recipient's language, text and HTML; through
Django's outbox, and once through a real SMTP server of the test's own on loopback."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from django.core import mail

from ecosystem.core.mail import send

MESSAGE = {
    "email/hello.subject.txt": "{% load i18n %}\n{% translate 'Records to check' %}\n",
    "email/hello.txt": (
        "{% extends 'email/base.txt' %}{% load i18n %}"
        "{% block content %}{% translate 'Drafts' %}: {{ count }}{% endblock %}"
    ),
    "email/hello.html": (
        "{% extends 'email/base.html' %}{% load i18n %}"
        "{% block content %}<p>{% translate 'Drafts' %}: {{ count }}</p>{% endblock %}"
    ),
}


@pytest.fixture(autouse=True)
def message_templates(settings):
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "APP_DIRS": False,
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "loaders": [
                    ("django.template.loaders.locmem.Loader", MESSAGE),
                    "django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader",
                ],
            },
        }
    ]
    settings.DEFAULT_FROM_EMAIL = "directory@example.org"


@pytest.mark.parametrize(
    "language,subject,words",
    [("fr", "Fiches à vérifier", "Brouillons: 3"), ("en", "Records to check", "Drafts: 3")],
)
def test_a_message_is_written_in_the_recipients_language(language, subject, words):
    send("email/hello", to=["staff@example.org"], language=language, context={"count": 3})
    [message] = mail.outbox
    assert message.subject == subject
    assert words in message.body and "http://testserver" in message.body
    [(html, kind)] = message.alternatives
    assert kind == "text/html" and f"<p>{words}</p>" in html and f'lang="{language}"' in html
    assert message.from_email == "directory@example.org"


class Keep:
    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append(envelope)
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_message_goes_through_a_real_smtp_server(settings):
    keep = Keep()
    server = Controller(keep, hostname="127.0.0.1", port=free_port())
    server.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        assert send("email/hello", to=["staff@example.org"], language="fr", context={"count": 3})
    finally:
        server.stop()
    [envelope] = keep.received
    assert envelope.mail_from == "directory@example.org"
    assert envelope.rcpt_tos == ["staff@example.org"]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["Subject"] == "Fiches à vérifier"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Brouillons: 3" in text and "<p>Brouillons: 3</p>" in html
