"""`python -m bench.iati_import`: how long the IATI import takes to plan and to write
files of 10, 100 and 1,000 activities (each the first of tests/iati/afd.xml, numbered:
four organizations, two countries, two sectors, budgets and transactions), then to
import the same file again (nothing changed), and the memory the process reached.
Prints a table.

It runs in this process on a SQLite database of its own, in a temporary folder, seeded.
Times depend on the machine and on what else runs: compare the ratios.
"""

import logging
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIXTURE = ROOT / "tests" / "iati" / "afd.xml"


def activities_file(folder, count):
    """A file of `count` activities, the fixture's first with numbered identifiers."""
    text = FIXTURE.read_text()
    start = text.index("  <iati-activity ")
    end = text.index("</iati-activity>", start) + len("</iati-activity>\n")
    activity = text[start:end]
    body = "".join(
        activity.replace("FR-6-CSN1234", f"FR-6-BENCH{n:05}").replace("SMEs", f"SMEs {n}")
        for n in range(count)
    )
    path = Path(folder) / f"{count}.xml"
    path.write_text(text[:start] + body + "</iati-activities>\n")
    return path


def main():
    folder = tempfile.mkdtemp(prefix="bench-iati-")
    os.environ.update(
        DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3",
        DJANGO_SETTINGS_MODULE="ecosystem.project.settings",
        DEBUG="1",
    )
    import django

    django.setup()
    logging.disable(logging.INFO)
    from django.core.management import call_command

    from iati import importing

    call_command("migrate", verbosity=0)
    call_command("seed_ecosystem", verbosity=0)
    print(f"{'activities':>10} {'size':>9} {'plan (s)':>9} {'apply (s)':>10} {'again (s)':>10}")
    for count in (10, 100, 1000):
        path = activities_file(folder, count)
        started = time.perf_counter()
        plan = importing.plan(path)
        planned = time.perf_counter()
        importing.apply(plan, name=path.name)
        applied = time.perf_counter()
        importing.apply(importing.plan(path), name=path.name)
        again = time.perf_counter()
        size = f"{path.stat().st_size / 1024:,.0f} KB"
        print(
            f"{count:>10} {size:>9} {planned - started:>9.2f} {applied - planned:>10.2f} "
            f"{again - applied:>10.2f}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Peak memory of the process: {peak:,.0f} MB")


if __name__ == "__main__":
    main()
