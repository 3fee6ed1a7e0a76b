import datetime
import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import translate_url
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ecosystem.core.dates import Precision, format_partial
from ecosystem.core.registry import registry
from ecosystem.core.search import matched_spans, words
from ecosystem.pictures import timeline

register = template.Library()


@register.simple_tag(takes_context=True)
def url_in_language(context, language):
    """This page, filters included, in another language: /en/programmes/?country=ML
    becomes /fr/programmes/?country=ML."""
    return translate_url(context["request"].get_full_path(), language)


@register.simple_tag(takes_context=True)
def absolute_url_in_language(context, language):
    """This page (without its query string) in a language, as an absolute URL."""
    request = context["request"]
    return request.build_absolute_uri(translate_url(request.path, language))


@register.simple_tag(takes_context=True)
def json_ld(context, record):
    """A record's schema.org description, as a JSON-LD data block (not a script: a
    Content-Security-Policy does not apply to it)."""
    data = registry.for_record(record).json_ld(record, context["request"].build_absolute_uri)
    # "<" escaped so that no text in the data can close the element.
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).replace("<", "\\u003c")
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.filter
def highlight(text, query):
    """`text` with the words of a search `query` marked (<mark>), found as search finds
    them: "thies" marks "Thiès"."""
    text = str(text or "")
    parts, done = [], 0
    for start, end in matched_spans(text, words(query or "")):
        parts.append(format_html("{}<mark>{}</mark>", text[done:start], text[start:end]))
        done = end
    parts.append(conditional_escape(text[done:]))
    return mark_safe("".join(parts))


@register.filter
def long_date(moment):
    """A day (or a date and time's day), written in full in the page's language:
    "1er juillet 2026"."""
    if isinstance(moment, datetime.datetime):
        moment = timezone.localtime(moment).date()
    return format_partial(moment, Precision.DAY)


@register.simple_tag
def role_heading(roles, show):
    """The heading above organizations of one role on a record's page ("Funders" when
    several), or above records on an organization's page ("Funds")."""
    first = roles[0]
    if show == "record":
        return capfirst(first.get_organization_label())
    return capfirst(first.heading(len(roles)))


@register.simple_tag(takes_context=True)
def cite(context, source):
    """A numbered note beside a fact, linking to its source in the page's list; a source
    from outside the directory's documents says so. Nothing when the fact has none."""
    notes = context.get("notes")
    if source is None or notes is None:
        return ""
    number = notes.number(source)
    if source.outside:
        text = _("[%(number)s, outside source]") % {"number": number}
    else:
        text = f"[{number}]"
    label = _("Source %(number)s: %(title)s") % {"number": number, "title": source.title}
    return format_html(
        '<sup class="note"><a href="#source-{}" title="{}">{}</a></sup>', number, label, text
    )


@register.simple_tag(takes_context=True)
def link_notice(context, address):
    """After a link that failed its last checks (ecosystem.core.links): "this address did
    not answer on 3 December 2026", the day of the last failed check; else nothing."""
    notices = context.get("link_notices")
    day = notices.failed_on(address) if notices else None
    if not day:
        return ""
    text = _("this address did not answer on %(date)s") % {"date": long_date(day)}
    return format_html(' <span class="link-notice">({})</span>', text)


@register.simple_tag
def timeline_svg(drawing, variant):
    """A timeline drawing (ecosystem.pictures.timeline) as SVG: `wide` or `narrow`."""
    return timeline.svg(drawing, variant)
