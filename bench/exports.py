"""Milliseconds a row of a list's CSV export, streamed (as a visitor's request, with its
bounds on each query) and written by the large-export job, on a benchmark database:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ecosystem_bench_100k \\
        .venv/bin/python bench/exports.py [--list smes] [--filter "" --filter country=SN]

Prints a table: rows, seconds, ms a row, this process's CPU ms a row (the Python an
export runs, steadier than the time on a machine others share), queries, the slowest
query, and whether the
export ended whole (as many rows as the list counts, the last one a record's with its
page) or was cut short by a fault. Each export is run once, in this process.
"""

import argparse
import csv
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FILTERS = ["", "country=SN", "country=SN&sector=digital-technology", "sector=agribusiness"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", default="smes", help="The record type (registry key).")
    parser.add_argument("--filter", action="append", help=f"Repeatable; default {FILTERS}.")
    parser.add_argument("--language", default="en")
    options = parser.parse_args()
    # As bench/explain.py: the settings of development, against the database named.
    os.environ.update(
        DJANGO_SETTINGS_MODULE="ecosystem.project.settings", DEBUG="1", ALLOWED_HOSTS="testserver"
    )
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-exports-"))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import reverse
    from django.utils import translation

    from ecosystem.core.registry import registry

    record_type = registry[options.list]
    with translation.override(options.language):
        address = reverse(record_type.export_url)
    print(f"{connection.vendor} {connection.settings_dict['NAME']}, {address}")
    print(
        f"{'path':6} {'filter':40} {'rows':>8} {'s':>7} {'ms/row':>7} {'cpu/row':>7} "
        f"{'queries':>8} {'slowest ms':>10}  end"
    )
    for query in options.filter if options.filter is not None else FILTERS:
        path = address + (f"?{query}" if query else "")
        listed = counted(record_type, query, options.language)
        for way, run in (("stream", stream), ("job", job)):
            with CaptureQueriesContext(connection) as queries:
                started, cpu = time.perf_counter(), time.process_time()
                rows, end = run(Client(), path, override_settings)
                seconds = time.perf_counter() - started
                cpu = time.process_time() - cpu
            if end == "whole" and rows != listed:
                end = f"{rows} rows of {listed}"
            slowest = max((float(q["time"]) for q in queries), default=0) * 1000
            per_row = seconds * 1000 / rows if rows else 0
            cpu_per_row = cpu * 1000 / rows if rows else 0
            print(
                f"{way:6} {query or '(none)':40} {rows:>8} {seconds:>7.2f} {per_row:>7.3f} "
                f"{cpu_per_row:>7.3f} {len(queries):>8} {slowest:>10.0f}  {end}"
            )


def counted(record_type, query, language):
    """How many records the list counts for the filter: what a whole export holds."""
    from django.http import QueryDict
    from django.utils import translation

    from ecosystem.core.listing import lenient_filterset

    with translation.override(language):
        records = record_type.listed_records()
        filterset, _ignored = lenient_filterset(record_type.filterset, QueryDict(query), records)
        return filterset.qs.count()


def count(data):
    """The rows after the header; none if the last is not a record's (ending with its
    page), as when the export says it was cut short."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    if len(rows) > 1 and not rows[-1][-1].startswith("http"):
        return 0
    return max(0, len(rows) - 1)


def stream(client, path, override_settings):
    """The export as a visitor's request streams it, whatever its size."""
    received = []
    with override_settings(EXPORT_STREAM_MAX_ROWS=10**9):
        response = client.get(path)
        if not response.streaming:
            return 0, f"answered {response.status_code}"
        try:
            for piece in response.streaming_content:
                received.append(piece)
        except Exception as error:  # what cuts a visitor's download short
            return count(b"".join(received)), f"cut: {type(error).__name__}"
    return count(b"".join(received)), "whole"


def job(client, path, override_settings):
    """The export as the job writes its file (the request only queues the job)."""
    from django.core.files.storage import default_storage

    from ecosystem.core.export_files import ExportFile, prepare_export

    ExportFile.objects.all().delete()
    with override_settings(EXPORT_STREAM_MAX_ROWS=0):
        response = client.get(path)
    export = ExportFile.objects.filter().first()
    if export is None:
        return 0, f"answered {response.status_code}"
    try:
        prepare_export.call(export.pk)
    except Exception as error:
        return 0, f"failed: {type(error).__name__}"
    export.refresh_from_db()
    with default_storage.open(export.file, "rb") as file:
        rows = count(file.read())
    export.discard()
    return rows, "whole"


if __name__ == "__main__":
    main()
