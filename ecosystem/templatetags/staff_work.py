from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from ecosystem.core.admin import dashboard as work

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_dashboard(context):
    """The work waiting for this staff member, for the admin's index page."""
    return work.dashboard(context["request"].user)


@register.simple_tag(takes_context=True)
def staff_panels(context):
    """The boxes apps add to the admin's index page (the IATI syncs), each with its
    template and what it shows."""
    return work.panels(context["request"].user)


@register.simple_tag(takes_context=True)
def broken_links(context):
    """The addresses whose last check failed, with what cites them, for the admin's
    index page; None when there are none or the staff member may not see them."""
    return work.broken_links(context["request"].user)


def colon_pattern():
    """ "{label}: {value}" as the reader's language writes it ("{label} : {value}")."""
    return _("%(label)s: %(value)s") % {"label": "{label}", "value": "{value}"}


@register.simple_tag
def colon():
    """The colon after a label, as the reader's language writes it (": ", " : ")."""
    return colon_pattern().format(label="", value="")


@register.simple_tag
def public_site():
    """ "The public site: français · English", each linking to the home page in its
    language, named in that language."""
    links = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            home = reverse("home")
        links.append((home, code, code, translation.get_language_info(code)["name_local"]))
    return format_html(
        colon_pattern(),
        label=_("The public site"),
        value=format_html_join(" · ", '<a href="{}" lang="{}" hreflang="{}">{}</a>', links),
    )
