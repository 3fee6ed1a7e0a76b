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


def database_rows():
    """Every row of every table, sorted: two equal results mean nothing changed, the
    history, the timestamps and the many-to-many links included."""
    from django.db import connection

    with connection.cursor() as cursor:
        rows = {}
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows[table] = sorted(map(repr, cursor.fetchall()))
    return rows
