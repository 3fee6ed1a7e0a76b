"""The signed links of the alert mails (django.core.signing, under SECRET_KEY): a link
names a subscription's `key` and what it may do, and cannot be made for another one.

A confirmation carries the frequency the visitor chose: asking again for the same list
with another frequency changes nothing until that mail's link is followed. It is good
for as long as an unconfirmed address is kept (UNCONFIRMED_KEPT). An unsubscribe link
never expires: it is in every mail."""

from datetime import timedelta

from django.core import signing

# An unconfirmed address is deleted this long after it was given (alerts.digest).
UNCONFIRMED_KEPT = timedelta(days=365)


def confirmation(subscription, frequency):
    return signing.dumps(
        {"key": str(subscription.key), "frequency": frequency}, salt="alerts.confirm"
    )


def read_confirmation(token):
    """(key, frequency), or None for a link that is altered or too old."""
    try:
        data = signing.loads(token, salt="alerts.confirm", max_age=UNCONFIRMED_KEPT.total_seconds())
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return data.get("key"), data.get("frequency")


def unsubscribe(subscription):
    return signing.dumps(str(subscription.key), salt="alerts.unsubscribe")


def read_unsubscribe(token):
    """The subscription's key, or None for an altered link."""
    try:
        key = signing.loads(token, salt="alerts.unsubscribe")
    except signing.BadSignature:
        return None
    return key if isinstance(key, str) else None
