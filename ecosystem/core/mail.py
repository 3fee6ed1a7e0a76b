"""Email in the recipient's language, as plain text and HTML.

    send("email/digest", to=["editor@example.org"], language="fr", context={...})

renders `email/digest.subject.txt`, `email/digest.txt` and `email/digest.html` (each
extending `email/base.*`) in that language and sends one message with both bodies,
through settings.EMAIL_BACKEND (the console in development, SMTP in production).
Send from a job (ecosystem/jobs), not from a request: a mail server that is down or
slow (EMAIL_TIMEOUT) then raises in the job, which is tried again, and no visitor waits."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def render(template, language, context):
    """(subject, text, html) of `template` in `language`."""
    context = {**context, "site_url": settings.SITE_URL}
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}.subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    return subject, text, html


def send(template, *, to, language=None, context=None):
    """Send `template` to the addresses `to` in `language` (the site's default if
    None); returns the number of messages sent (1)."""
    subject, text, html = render(template, language or settings.LANGUAGE_CODE, context or {})
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, list(to))
    message.attach_alternative(html, "text/html")
    return message.send()
