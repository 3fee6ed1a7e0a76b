"""Where a page's time goes in the database: each SQL query of one request with its time,
and `EXPLAIN (ANALYZE, BUFFERS)` of the slowest ones, on a benchmark database.

    .venv/bin/python bench/explain.py --size 1m /en/smes/?country=SN [--top 3]

The request runs in this process with the cache emptied, as a cold request would.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--size", default="1m")
    parser.add_argument("--top", type=int, default=3, help="How many queries to explain.")
    options = parser.parse_args()
    # DATABASE_URL, when set, names another benchmark database (bench/opportunities.py's).
    os.environ.setdefault(
        "DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/ecosystem_bench_{options.size}"
    )
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="1",
        ALLOWED_HOSTS="testserver",
    )
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = Client().get(options.path)
        if response.streaming:
            b"".join(response.streaming_content)
        total = (time.perf_counter() - started) * 1000
    spent = sum(float(query["time"]) for query in queries) * 1000
    print(f"{options.path}: {response.status_code}, {total:.0f} ms, {len(queries)} queries")
    print(f"in SQL {spent:.0f} ms, in Python {total - spent:.0f} ms\n")
    ranked = sorted(queries, key=lambda query: -float(query["time"]))
    for query in ranked:
        print(f"{float(query['time']) * 1000:8.1f} ms  {query['sql'][:150]}")
    for query in ranked[: options.top]:
        print(f"\n-- {float(query['time']) * 1000:.1f} ms\n{query['sql']}\n")
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
