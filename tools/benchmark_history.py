"""How long the history's operations take for staff: an edit (one version), a revert to
the first version with relations, a delete, a restore with relations. On the database
DATABASE_URL names, seeded first; every run is rolled back, so the data is untouched.

    DEBUG=1 .venv/bin/python tools/benchmark_history.py [N] [programme-slug]

Times are noisy on shared machines: compare within one run, not across runs.
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

from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from ecosystem.core import history  # noqa: E402
from programmes.models import Programme  # noqa: E402


class Rollback(Exception):
    pass


def edit(programme):
    with history.reason("shell"), history.one_version(programme):
        programme.name_en += " (edited)"
        programme.save()
        programme.countries.clear()
        programme.roles.all().delete()


def steps(slug):
    """(label, prepare, measured) for each operation."""

    def load():
        return Programme.objects.get(slug=slug)

    def revert_prepared():
        programme = load()
        first = programme.history.last()
        edit(programme)
        return lambda: history.revert(programme, first)

    def restore_prepared():
        programme = load()
        pk = programme.pk
        programme.delete()
        return lambda: history.restore(Programme, pk)

    return [
        ("edit: fields, countries, roles (one version)", lambda: lambda: edit(load())),
        ("revert to the first version, relations included", revert_prepared),
        ("delete with its roles, sites and figures", lambda: load().delete),
        ("restore with its relations and links", restore_prepared),
    ]


def main(runs, slug):
    programme = Programme.objects.get(slug=slug)
    print(
        f"database: {connection.vendor}; {runs} runs each; programme {slug!r} with "
        f"{programme.roles.count()} roles, {programme.sites.count()} sites, "
        f"{programme.indicators.count()} figures, {programme.countries.count()} countries"
    )
    print(f"{'operation':<50} {'queries':>7} {'median ms':>9} {'max ms':>7}")
    for label, prepare in steps(slug):
        times = []
        for _ in range(runs):
            try:
                reset_queries()  # the query log holds 9,000 at most
                with transaction.atomic():
                    measured = prepare()
                    with CaptureQueriesContext(connection) as queries:
                        start = time.perf_counter()
                        measured()
                        times.append((time.perf_counter() - start) * 1000)
                    raise Rollback
            except Rollback:
                pass
        print(f"{label:<50} {len(queries):>7} {statistics.median(times):>9.1f} {max(times):>7.1f}")


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 20,
        sys.argv[2] if len(sys.argv) > 2 else "hub-iit-deployment",
    )
