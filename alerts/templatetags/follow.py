from django import template

from alerts.follow import feed_path

register = template.Library()


@register.simple_tag(takes_context=True)
def list_feed(context, key):
    """The Atom feed of this page's list (`key`, or "support") with its filters: what
    the follow form beside it follows by email, without an address."""
    return feed_path(key, context["request"].GET)
