"""Follow a list by email, confirm, unsubscribe. Never cached: each answers one visitor.

Two addresses take a POST without a CSRF token. Following: the small form on every list
page posts here, and a token would make those pages uncacheable (a cookie each); a
forged post can do no more than the form itself, a confirmation mail within the limits.
Unsubscribing: mail programs post there ("List-Unsubscribe-Post"), and its signed
token is the only key needed."""

from django.http import QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from alerts import limits, services, tokens
from alerts.follow import feed_path, followed_from
from alerts.forms import FollowForm
from alerts.services import Asked


def refused(request, message, status):
    return render(request, "alerts/message.html", {"message": message}, status=status)


@csrf_exempt
@never_cache
def follow(request):
    if request.GET.get("sent"):
        return render(request, "alerts/sent.html")
    followed, ignored = followed_from(request.GET.get("list", ""), request.GET)
    if followed is None:
        if ignored:  # filters too long to keep
            return refused(request, str(ignored[0]), 400)
        return refused(request, _("This list cannot be followed: the address names none."), 404)
    form = FollowForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if not limits.within("client", request.META.get("REMOTE_ADDR", ""), limits.PER_CLIENT):
            form.add_error(
                None,
                _(
                    "Too many requests from your connection in the last hour: please try "
                    "again later."
                ),
            )
            status = 429
        elif form.is_valid():
            asked = services.ask(
                followed,
                form.cleaned_data["email"],
                form.cleaned_data["frequency"],
                "fr" if request.LANGUAGE_CODE == "fr" else "en",
            )
            if asked is Asked.SENT:
                return redirect(f"{request.path}?sent=1")
            form.add_error(None, asked_message(asked))
            status = 429 if asked is Asked.TOO_OFTEN else 503 if asked is Asked.NOT_SENT else 400
    context = {
        "form": form,
        "title": followed.title(),
        "page": followed.path(),
        "feed": feed_path(followed.key, QueryDict(followed.query)),
        "ignored": ignored,
    }
    return render(request, "alerts/follow.html", context, status=status)


def asked_message(asked):
    """Why a confirmation was not sent, for the form."""
    if asked is Asked.TOO_OFTEN:
        return _(
            "Several confirmation mails went to this address in the last hour: look for "
            "them in its inbox (and its spam folder), or try again later."
        )
    if asked is Asked.TOO_MANY:
        return _(
            "This address follows %(count)s lists already, the most it may: unsubscribe "
            "from one (a link is in each mail) before following another."
        ) % {"count": services.MAX_PER_ADDRESS}
    return _("The confirmation mail could not be sent just now: please try again in a few minutes.")


@never_cache
def confirm(request, token):
    """A page with a button: mail scanners that open every link do not confirm."""
    if request.method == "POST":
        subscription = services.confirm(token)
        if subscription is None:
            return refused(
                request,
                _(
                    "This confirmation link is not valid: it was altered, is more than a "
                    "year old, or the alert was ended. Follow the list again from its page."
                ),
                400,
            )
        return render(
            request,
            "alerts/confirmed.html",
            {
                "frequency": subscription.get_frequency_display(),
                "unsubscribe": tokens.unsubscribe(subscription),
            },
        )
    return render(request, "alerts/confirm.html")


@csrf_exempt
@never_cache
def unsubscribe(request, token):
    if request.method == "POST":
        if not services.end(token):
            return refused(request, _("This unsubscribe link is not valid: it was altered."), 400)
        return render(request, "alerts/unsubscribed.html")
    return render(request, "alerts/unsubscribe.html")
