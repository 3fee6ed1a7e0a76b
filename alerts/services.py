"""Asking for an alert, confirming it, ending it: the writes behind the follow form and
the links of the mails (alerts.tokens)."""

import enum

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from alerts import limits, tokens
from alerts.models import Frequency, Subscription
from ecosystem.core import mail

# Lists one address may follow (confirmed or not): a bound on what one address costs.
MAX_PER_ADDRESS = 20


class Asked(enum.Enum):
    SENT = "sent"  # a confirmation mail went out
    TOO_OFTEN = "too-often"  # this address had its confirmations for the hour
    TOO_MANY = "too-many"  # this address follows MAX_PER_ADDRESS lists already
    NOT_SENT = "not-sent"  # the mail server did not take it: try again later


def absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def unsubscribe_headers(subscription):
    """RFC 2369 and RFC 8058: mail programs offer "unsubscribe" and do it in one click,
    a POST to the same signed address (alerts.views.unsubscribe)."""
    with translation.override(subscription.language):
        link = absolute(reverse("alerts:unsubscribe", args=[tokens.unsubscribe(subscription)]))
    return link, {
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def ask(followed, email, frequency, language):
    """Keep (or find) the subscription and mail its confirmation link. Nothing is
    followed before that link is opened: a form filled with someone else's address only
    sends them a mail they can ignore (their address is deleted after a year)."""
    email = email.strip().lower()
    subscription = Subscription.objects.filter(
        email=email, followed=followed.key, query=followed.query
    ).first()
    if subscription is None:
        if Subscription.objects.filter(email=email).count() >= MAX_PER_ADDRESS:
            return Asked.TOO_MANY
        try:
            with transaction.atomic():
                subscription = Subscription.objects.create(
                    email=email, followed=followed.key, query=followed.query, language=language
                )
        except IntegrityError:  # the same request, twice at once
            subscription = Subscription.objects.get(
                email=email, followed=followed.key, query=followed.query
            )
    if not limits.within("address", email, limits.PER_ADDRESS):
        return Asked.TOO_OFTEN
    return (
        Asked.SENT
        if mail.send(confirmation_mail(subscription, followed, frequency, language))
        else Asked.NOT_SENT
    )


def confirmation_mail(subscription, followed, frequency, language):
    with translation.override(language):
        confirm = absolute(
            reverse("alerts:confirm", args=[tokens.confirmation(subscription, frequency)])
        )
        title = followed.title()
        page = absolute(followed.path())
        frequency_label = Frequency(frequency).label
    unsubscribe, headers = unsubscribe_headers(subscription)
    context = {
        "title": title,
        "page": page,
        "frequency": frequency_label,
        "confirm_url": confirm,
        "unsubscribe_url": unsubscribe,
    }
    message = mail.message(
        [subscription.email], _("Confirm your email alert"), "alert_confirm", context, language
    )
    message.extra_headers.update(headers)
    return message


def confirm(token):
    """Confirm the subscription a link names, with the frequency it carries; None when
    the link is altered or too old, or its subscription was ended since."""
    read = tokens.read_confirmation(token)
    if read is None or read[1] not in Frequency.values:
        return None
    key, frequency = read
    subscription = Subscription.objects.filter(key=key).first()
    if subscription is None:
        return None
    now = timezone.now()
    subscription.frequency = frequency
    subscription.confirmed = subscription.confirmed or now
    # The first digest holds what is published from now on, not the list's past.
    subscription.covered_until = subscription.covered_until or now
    subscription.save(update_fields=["frequency", "confirmed", "covered_until"])
    return subscription


def end(token):
    """Delete the subscription a link names, address and all. True when the link is
    sound (ended now or before), False when it is altered."""
    key = tokens.read_unsubscribe(token)
    if key is None:
        return False
    Subscription.objects.filter(key=key).delete()
    return True
