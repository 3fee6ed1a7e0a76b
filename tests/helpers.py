import re
from pathlib import Path

import tinycss2
from django.core.files import File
from django.urls import reverse, translate_url
from django.utils import translation

ROW_LINK = re.compile(r'<h3><a href="/(?:en|fr)/[a-z]+/([\w-]+)/">')


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def in_language(path, language):
    """An English address, query included, as the same page's address in `language`:
    /en/organizations/?country=SN becomes /fr/organisations/?country=SN."""
    with translation.override("en"):
        return translate_url(path, language)


def shown(response):
    """The slugs of the records a list page shows, in order."""
    assert response.status_code == 200
    return ROW_LINK.findall(response.content.decode())


def html(response):
    assert response.status_code == 200
    return response.content.decode()


def database_rows():
    """Every row of every table, sorted: two equal results mean nothing changed, the
    history, the timestamps and the many-to-many links included. The data's version
    (a counter for the cache) is left out: a bump is not a change to the data. The
    counts per country and sector are compared by their values (they are recounted
    into new rows)."""
    from django.db import connection

    with connection.cursor() as cursor:
        rows = {}
        for table in sorted(connection.introspection.table_names()):
            if table == "ecosystem_dataversion":
                continue
            columns = "record_type, hub_kind, hub, count" if table == "ecosystem_hubcount" else "*"
            cursor.execute(f"SELECT {columns} FROM {connection.ops.quote_name(table)}")
            rows[table] = sorted(map(repr, cursor.fetchall()))
    return rows


def admin_url(model, page, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)


def form_data(response):
    """The change form of `response` as a browser submits it when nothing is touched."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            # A browser sends no file back: the stored one stays unless a new one comes.
            if value is None or value is False or isinstance(value, File):
                continue
            data[form.add_prefix(name)] = "on" if value is True else value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def edit(client, record, **changes):
    """Open the record's change page, change some fields, save; returns the response."""
    url = admin_url(type(record), "change", record.pk)
    data = {**form_data(client.get(url)), **changes}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def count_queries(function, *, cold=True):
    """How many database queries `function()` runs; with the cache emptied first unless
    `cold` is false, so that a page's own queries are counted, not a cached copy's."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


def stylesheet(name):
    """The declarations of static/css/NAME as the browser reads them, in order: tuples of
    (conditions, selector, property, value), conditions being the @media and @supports
    rules around the rule ("" at the top level), one tuple per selector of a list. A rule
    the browser would drop fails here rather than go unchecked."""
    text = (Path(__file__).resolve().parent.parent / "static/css" / name).read_text()
    plain = {"skip_comments": True, "skip_whitespace": True}
    found = []

    def read(rules, conditions):
        for rule in rules:
            assert rule.type != "error", f"{name}: {rule.message} at line {rule.source_line}"
            if rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports"):
                prelude = f"@{rule.lower_at_keyword} {tinycss2.serialize(rule.prelude).strip()}"
                read(tinycss2.parse_rule_list(rule.content, **plain), (*conditions, prelude))
            elif rule.type == "qualified-rule":
                selectors = [s.strip() for s in tinycss2.serialize(rule.prelude).split(",")]
                for item in tinycss2.parse_blocks_contents(rule.content, **plain):
                    assert item.type != "error", f"{name}: {item.message} at {item.source_line}"
                    if item.type == "declaration":
                        value = tinycss2.serialize(item.value).strip()
                        found.extend(
                            (" ".join(conditions), s, item.lower_name, value) for s in selectors
                        )

    read(tinycss2.parse_stylesheet(text, **plain), ())
    return found


def run_jobs():
    """Run the queued jobs in the test's process and record their outcome, as a worker
    would (tests/test_jobs.py starts real workers)."""
    from django_tasks_db.models import DBTaskResult

    for row in DBTaskResult.objects.ready():
        row.claim("test")
        try:
            value = row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
        except Exception as error:
            row.set_failed(error)
        else:
            row.set_successful(value)
