import datetime

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.core.listing import lenient_filterset
from events.views import calendar_response
from opportunities import calendar
from opportunities.filters import OpportunityFilter
from opportunities.models import Opportunity, Status
from opportunities.support import Answers, SupportForm, find_support

# A calendar application fetches the whole feed on every refresh: the deadlines to come
# and those of the last month, the soonest first, at most this many.
CALENDAR_DEADLINES = 200
CALENDAR_PAST_DAYS = 30


def calendar_feed(request):
    """The deadlines of the opportunities matching the list's filters, for a calendar
    application to subscribe. Read from the index on the closing moment, without the
    links an entry does not show (roles, sources, countries, sectors)."""
    filterset, _ignored = lenient_filterset(
        OpportunityFilter, request.GET, Opportunity.objects.published()
    )
    since = timezone.now() - datetime.timedelta(days=CALENDAR_PAST_DAYS)
    dated = filterset.qs.filter(closes_at__gte=since)
    opportunities = dated.order_by("closes_at", "pk")[:CALENDAR_DEADLINES]
    body = calendar.calendar(
        opportunities, request.build_absolute_uri, str(_("Deadlines of calls for applications"))
    )
    return calendar_response(body, "deadlines.ics")


def find_support_page(request):
    """The form and, once answered, what fits: a GET form, so the answer has an address
    to share and to follow by email."""
    form = SupportForm(request.GET or None)
    support = find_support(Answers.from_form(form)) if form.is_valid() else None
    return render(request, "opportunities/find_support.html", {"form": form, "support": support})


def match_json(match, request):
    record = match.record
    data = {
        "slug": record.slug,
        "name": record.name,
        "url": request.build_absolute_uri(record.get_absolute_url()),
        "reasons": [str(reason) for reason in match.reasons],
    }
    if isinstance(record, Opportunity):
        data.update(
            kind=record.kind,
            status=Status(record.status).value,
            deadline=record.deadline_iso or None,
            closes_at=record.closes_at.isoformat() if record.closes_at else None,
        )
    return data


def find_support_api(request):
    """The find-support answer as JSON: the page's parameters, 400 naming a wrong one."""
    form = SupportForm(request.GET)
    if not form.is_valid():
        return JsonResponse(form.errors.get_json_data(), status=400)
    support = find_support(Answers.from_form(form))
    answers = support.answers
    return JsonResponse(
        {
            "query": {
                "country": answers.country.code if answers.country else None,
                "sector": answers.sector.slug if answers.sector else None,
                "stage": answers.stage,
                "need": list(answers.needs),
            },
            **{
                key: [match_json(match, request) for match in matches]
                for key, _title, matches in support.sections
            },
        }
    )
