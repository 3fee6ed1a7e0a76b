"""Mail the site sends (the staff digest): each message in its recipient's language, as
plain text with an HTML alternative, its subject naming the directory.

Mail is optional at run time: a server that is down, slow (EMAIL_TIMEOUT) or refusing
is logged as one line and reported to the caller, who may try again later; it never
reaches a visitor as an error."""

import logging
import time

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

logger = logging.getLogger("ecosystem.mail")


def message(to, subject, template, context, language):
    """The message `templates/email/<template>.txt` and `.html` make for `to` (a list of
    addresses), with `subject` (a lazy string) and the templates in `language`."""
    with translation.override(language):
        context = {**context, "language": language}
        mail = EmailMultiAlternatives(
            subject=f"[{gettext('Tech-support directory')}] {subject}",
            body=render_to_string(f"email/{template}.txt", context),
            to=to,
        )
        mail.attach_alternative(render_to_string(f"email/{template}.html", context), "text/html")
    # For the log line: which kind of message, never its addresses.
    mail.template = template
    return mail


def send(mail):
    """Send `mail` (from `message()`); True when the server took it, False (and a logged
    line) when it did not."""
    start = time.perf_counter()
    kind = getattr(mail, "template", "mail")
    recipients = len(mail.recipients())
    try:
        mail.send()
    except Exception as error:
        # Connection refused, timeouts, TLS and SMTP errors are OSErrors: the network's
        # fault, their message says all. Anything else is ours: with its traceback.
        logger.error(
            "mail %s not sent to %d recipient(s): %s: %s",
            kind,
            recipients,
            type(error).__name__,
            error,
            exc_info=not isinstance(error, OSError),
            extra={"duration_ms": elapsed_ms(start)},
        )
        return False
    logger.info(
        "mail %s sent to %d recipient(s)",
        kind,
        recipients,
        extra={"duration_ms": elapsed_ms(start)},
    )
    return True


def elapsed_ms(start):
    return round((time.perf_counter() - start) * 1000, 1)
