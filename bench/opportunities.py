"""The opportunities list and "find support" at scale, in this process, on a benchmark
database of its own (made, migrated, seeded and loaded when empty; kept between runs):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opps_bench \\
        .venv/bin/python bench/opportunities.py [--opportunities 100000] [--runs 20]

Prints a table: per URL, the status, SQL queries, cold ms (cache emptied first), and warm
p50 and p95 over the runs. `make bench SIZE=1m` measures the same URLs served by gunicorn
(bench/run.py) beside a million SMEs.
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

URLS = [
    ("list", "/en/opportunities/"),
    ("list open now, SN", "/en/opportunities/?open=yes&country=SN"),
    ("list SN digital early", "/en/opportunities/?country=SN&sector=digital-technology&stage=2"),
    ("list deep page", "/en/opportunities/?page=200"),
    ("list text", "/en/opportunities/?q=dakar"),
    ("find support", "/en/find-support/?country=SN&sector=digital-technology&stage=2&need=funding"),
    ("find support, no answer", "/en/find-support/?need=training"),
    ("api find support", "/api/v1/find-support/?country=ML&sector=agribusiness&need=markets"),
    ("api open now", "/api/v1/opportunities/?open=yes&country=SN"),
    ("deadlines calendar", "/deadlines.ics?country=SN"),
    ("home", "/en/"),
]


def load(count):
    from django.core.management import call_command

    from opportunities.models import Opportunity

    call_command("migrate", "--no-input", verbosity=0)
    if not Opportunity.objects.exists():
        call_command("seed_ecosystem", verbosity=0)
    have = Opportunity.objects.filter(slug__startswith="demo-").count()
    if have < count:
        started = time.monotonic()
        call_command(
            "generate_demo_data",
            "--smes=0",
            "--organizations=200",
            "--programmes=100",
            "--events=0",
            f"--opportunities={count - have}",
            verbosity=0,
        )
        print(f"loaded {count - have:,} opportunities in {time.monotonic() - started:.0f} s")
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def measure(client, path, runs):
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    # With DEBUG the log grows from request to request, and each request empties it:
    # emptied first, it holds this request's queries only.
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(path)
        cold = (time.perf_counter() - started) * 1000
    warm = []
    for _ in range(runs):
        cache.clear()  # the page's own work, not a cached copy
        started = time.perf_counter()
        client.get(path)
        warm.append((time.perf_counter() - started) * 1000)
    warm.sort()
    return (
        response.status_code,
        len(queries),
        cold,
        statistics.median(warm),
        warm[int(0.95 * (len(warm) - 1))],
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opportunities", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="ecosystem.project.settings", DEBUG="1", ALLOWED_HOSTS="testserver"
    )
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-opportunities-"))
    import django

    django.setup()
    from django.test import Client

    from opportunities.models import Opportunity

    load(options.opportunities)
    total = Opportunity.objects.count()
    open_now = Opportunity.objects.published().open_at().count()
    print(f"\n{total:,} opportunities, {open_now:,} open now\n")
    print("| page | URL | status | queries | cold ms | p50 ms | p95 ms |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: |")
    client = Client()
    for name, path in URLS:
        status, queries, cold, p50, p95 = measure(client, path, options.runs)
        print(f"| {name} | `{path}` | {status} | {queries} | {cold:.0f} | {p50:.0f} | {p95:.0f} |")


if __name__ == "__main__":
    main()
