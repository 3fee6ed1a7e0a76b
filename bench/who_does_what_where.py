"""Milliseconds and queries of "who does what where" (its page, CSV and API) and of the
programmes' IATI XML, on a benchmark database with demo programmes:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ecosystem_bench_10k \\
        .venv/bin/python bench/who_does_what_where.py [--runs 5]

Prints a table: the programmes counted, then for each address its status, queries,
bytes and the median and slowest of the runs, each with the cache emptied first (what
a visitor meets after an edit). Run in this process, with the development settings.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ADDRESSES = [
    "/en/who-does-what-where/",
    "/en/who-does-what-where/?status=active",
    "/fr/qui-fait-quoi-ou/?period=2018-2023",
    "/en/who-does-what-where/export.csv",
    "/api/v1/who-does-what-where/?period=2020",
    "/api/v1/programmes/iati.xml?country=SN&sector=digital-technology",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="Requests per address.")
    options = parser.parse_args()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="ecosystem.project.settings", DEBUG="1", ALLOWED_HOSTS="testserver"
    )
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-matrix-"))
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from iati import matrix

    client = Client()
    print(f"{connection.vendor} {connection.settings_dict['NAME']}")
    print(f"{matrix.programmes().count()} programmes published and confirmed")
    print(f"{'address':66} {'status':>6} {'queries':>7} {'bytes':>9} {'p50 ms':>8} {'max ms':>8}")
    for address in ADDRESSES:
        times = []
        for _ in range(options.runs):
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(address)
                body = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
                times.append((time.perf_counter() - started) * 1000)
        print(
            f"{address:66} {response.status_code:>6} {len(queries):>7} {len(body):>9} "
            f"{statistics.median(times):>8.0f} {max(times):>8.0f}"
        )


if __name__ == "__main__":
    main()
