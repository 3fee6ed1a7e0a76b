"""Addresses across languages: the page an address in the other language's words names.
The middleware redirects such an address, and the import reads it in a "Page" cell, so
it lives in the core that both layers import (the open data does not import the
project)."""

from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, is_valid_path, resolve, reverse
from django.utils import translation


def same_page_in_words_of(path):
    """The address, in the words of its own language prefix, of the page `path` names in
    another language's words: /fr/organizations/optic/ -> /fr/organisations/optic/. None
    when `path` has no language prefix, is an address of its own language (a record that
    does not exist there stays a 404) or names no page in any language."""
    language = translation.get_language_from_path(path)
    if not language:
        return None
    with translation.override(language):
        if is_valid_path(path):
            return None
    rest = path[len(language) + 1 :]
    tries = [rest]
    if settings.APPEND_SLASH and not rest.endswith("/"):
        tries.append(rest + "/")
    for other, _name in settings.LANGUAGES:
        if other == language:
            continue
        for tried in tries:
            with translation.override(other):
                try:
                    match = resolve(f"/{other}{tried}")
                except Resolver404:
                    continue
            with translation.override(language):
                try:
                    return reverse(match.view_name, args=match.args, kwargs=match.kwargs)
                except NoReverseMatch:
                    return None
