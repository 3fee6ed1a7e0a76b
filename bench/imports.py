"""`python -m bench.imports`: how long the admin's import preview takes on the largest
files it previews in the request (IMPORT_IN_REQUEST_MAX_ROWS: a larger one goes to a
job), CSV and XLSX, against the
floor of a file of one row, in one run. Prints a table.

It runs in this process on a SQLite database of its own, in a temporary folder, as a
Publisher would post the files. Times depend on the machine and on what else runs:
compare the ratios.
"""

import csv
import io
import logging
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rows(count):
    header = ["Name", "Acronym", "Summary", "Website", "Countries", "Sectors"]
    body = [
        [f"Organisation {n}", f"ORG{n}", "Une association. " * 20, f"https://example.org/{n}/",
         "SN; ML", "Agritech"]
        for n in range(count)
    ]  # fmt: skip
    return [header, *body]


def as_csv(table):
    out = io.StringIO()
    csv.writer(out).writerows(table)
    return out.getvalue().encode()


def as_xlsx(table):
    from openpyxl import Workbook

    book = Workbook()
    for row in table:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main():
    folder = tempfile.mkdtemp(prefix="bench-imports-")
    os.environ.update(
        DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3",
        DJANGO_SETTINGS_MODULE="ecosystem.project.settings",
        DEBUG="1",
        ALLOWED_HOSTS="testserver",
    )
    import django

    django.setup()
    logging.disable(logging.INFO)  # the request log of each post
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from ecosystem.opendata.admin_import import in_request

    LIMITS = in_request()

    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_superuser("bench", "bench@example.org", "x")
    client = Client()
    client.force_login(user)

    def preview(name, content):
        file = io.BytesIO(content)
        file.name = name
        started = time.perf_counter()
        response = client.post("/admin/import/", {"record_type": "organizations", "file": file})
        took = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        return took

    cases = [
        ("CSV, 1 row", "one.csv", as_csv(rows(1))),
        (f"CSV, {LIMITS.rows:,} rows", "limit.csv", as_csv(rows(LIMITS.rows))),
        ("XLSX, 1 row", "one.xlsx", as_xlsx(rows(1))),
        (f"XLSX, {LIMITS.rows:,} rows", "limit.xlsx", as_xlsx(rows(LIMITS.rows))),
    ]
    floor = {}
    print(f"{'file':<20} {'size':>9} {'preview':>9} {'× 1 row':>8}")
    for label, name, content in cases:
        took = min(preview(name, content) for _ in range(3))
        kind = label.split(",")[0]
        floor.setdefault(kind, took)
        print(
            f"{label:<20} {len(content) / 1024:>7.0f} K {took:>8.2f}s {took / floor[kind]:>7.0f}×"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
