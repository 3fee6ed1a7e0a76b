from django.core.cache import cache
from django.core.validators import slug_re
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ecosystem.core.registry import registry
from ecosystem.project.middleware import declared_length
from suggestions.forms import TYPES, SuggestionForm

# A few suggestions an hour from one address, then a clear message.
LIMIT_PER_HOUR = 5
# The largest request a suggestion may be: every field filled to its limit fits, even in
# characters of four bytes sent percent-encoded (tests/test_suggestion_limits.py).
MAX_BODY = 100_000


def corrected_record(request):
    """The published record a "Suggest a correction" link names: ?record=<type>:<slug>."""
    key, _colon, slug = request.GET.get("record", "").partition(":")
    # Only what can be a slug reaches the database (PostgreSQL refuses a NUL character).
    if key not in TYPES or not slug_re.match(slug):
        return None
    # Its page may show a record the lists leave out (a hoped-for programme).
    record_type = registry[key]
    return (record_type.pages or record_type.published)().filter(slug=slug).first()


def over_limit(request):
    key = f"suggestions:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, 3600)
    try:
        return cache.incr(key) > LIMIT_PER_HOUR
    except ValueError:  # expired between the two calls
        cache.set(key, 1, 3600)
        return False


@never_cache
def suggest(request):
    if request.GET.get("sent"):
        return render(request, "suggestions/suggest.html", {"sent": True})
    record = corrected_record(request)
    initial = {
        "record_type": registry.for_record(record).key
        if record
        else request.GET.get("type", "smes")
    }
    # Bound on every POST, an empty one included: it gets its messages (and the limit's).
    data = request.POST if request.method == "POST" else None
    form = SuggestionForm(data, record=record, initial=initial)
    status = 200
    if request.method == "POST":
        size = declared_length(request)
        if size > MAX_BODY:
            form.add_error(
                None,
                _(
                    "Your suggestion is too long (%(size)s KB): a suggestion holds at most "
                    "%(limit)s KB. Shorten what is marked below and send it again."
                )
                % {"size": size // 1000, "limit": MAX_BODY // 1000},
            )
            status = 413
        elif over_limit(request):
            form.add_error(
                None,
                _(
                    "You have sent several suggestions in the last hour: please try again "
                    "later. What you wrote is kept below."
                ),
            )
            status = 429
        elif form.is_valid():
            suggestion = form.save(commit=False)
            suggestion.language = "en" if request.LANGUAGE_CODE == "en" else "fr"
            suggestion.save()
            return redirect(f"{request.path}?sent=1")
        else:
            status = 400
    return render(
        request, "suggestions/suggest.html", {"form": form, "record": record}, status=status
    )
