from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def url_in_language(context, language):
    """This page, filters included, in another language: /en/programmes/?country=ML
    becomes /fr/programmes/?country=ML."""
    return translate_url(context["request"].get_full_path(), language)
