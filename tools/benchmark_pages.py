"""Server-side benchmark of the key public pages: queries, median and worst time over N
requests, and response size, on the database DATABASE_URL names (seed it first).

    DEBUG=1 .venv/bin/python tools/benchmark_pages.py [N]

Times are noisy on shared machines: compare pages or databases within one run, not
across runs.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecosystem.project.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

PAGES = [
    "/en/",
    "/fr/programmes/",
    "/en/programmes/?country=ML&sector=digital-technology",
    "/fr/programmes/hub-iit-deployment/",
    "/en/organizations/",
    "/en/organizations/optic/",
    "/fr/events/",
    "/en/countries/sn/",
    "/fr/countries/",
    "/en/search/?q=senegal",
    "/api/v1/programmes/?country=SN",
    "/en/programmes/export.csv",
    "/events.ics",
]


def main(runs):
    client = Client(HTTP_HOST="127.0.0.1")
    print(f"database: {connection.vendor}; {runs} requests per page")
    print(f"{'path':<56} {'status':>6} {'queries':>7} {'median ms':>9} {'max ms':>7} {'KB':>6}")
    for path in PAGES:
        times = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(path)
                body = b"".join(response) if response.streaming else response.content
                times.append((time.perf_counter() - start) * 1000)
        print(
            f"{path:<56} {response.status_code:>6} {len(queries):>7} "
            f"{statistics.median(times):>9.1f} {max(times):>7.1f} {len(body) / 1024:>6.1f}"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
