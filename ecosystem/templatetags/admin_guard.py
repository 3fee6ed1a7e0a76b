"""For the admin's lock-out page (django-axes hands it the cool-off as a timedelta)."""

from django import template

register = template.Library()


@register.filter
def in_minutes(delta):
    """A timedelta as a whole number of minutes, for a plural-aware message."""
    return round(delta.total_seconds() / 60)
