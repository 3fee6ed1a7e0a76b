import re

from django.urls import reverse
from django.utils import translation

ROW_LINK = re.compile(r'<h3><a href="/(?:en|fr)/[a-z]+/([\w-]+)/">')


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def shown(response):
    """The slugs of the records a list page shows, in order."""
    assert response.status_code == 200
    return ROW_LINK.findall(response.content.decode())


def html(response):
    assert response.status_code == 200
    return response.content.decode()
