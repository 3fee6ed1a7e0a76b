from django import template

from ecosystem.core.admin import work_counts as counts

register = template.Library()


@register.simple_tag
def work_counts():
    """[(list name, title, how many records)] for the admin's index page."""
    return counts()
