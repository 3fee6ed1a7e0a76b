"""`python -m bench.alerts [--database NAME] [--fresh]`: how long the alert digests take
(alerts.digest.send_digests, what the daily job runs) for 1,000 and 10,000 confirmed
subscriptions, with new records to send and with nothing new, through a real SMTP
server (aiosmtpd on 127.0.0.1:8765, in this process). Prints a table.

It runs on a PostgreSQL database of its own (alerts_bench by default; kept between runs,
--fresh remakes it), seeded, with demo programmes and events whose first publication is
written in the history: most a year ago, NEW of each in the last ten days. With
--template, the database starts as a copy of another: `--template cold_bench_1m
--database alerts_1m` runs the digests beside a million SMEs and 100,000 opportunities.
Times depend on the machine and on what else runs: compare the rows.
"""

import argparse
import logging
import os
import resource
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SMTP_PORT = 8765
OLD = 20_000  # programmes, and events, published a year ago
NEW = 300  # programmes, and events, published nine to ten days ago
SIZES = [1_000, 10_000]


def psql(sql, database="postgres"):
    command = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-Atqc", sql]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def prepare_database(name, fresh, template=None):
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"
    if exists and fresh:
        psql(f'DROP DATABASE "{name}"')
    if not exists or fresh:
        psql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return True
    return False


def load(now):
    """Seed, demo records (no history, as demo data has none), then their versions:
    published a year ago, or NEW of each type in the last ten days."""
    from django.core.management import call_command

    from ecosystem.core.models import PublicationStatus
    from ecosystem.core.registry import registry
    from ecosystem.opendata.demo import Demo
    from events.demo import make_events
    from events.models import Event
    from opportunities.demo import make_opportunities
    from opportunities.models import Opportunity
    from programmes.demo import make_programmes
    from programmes.models import Programme

    call_command("seed_ecosystem", verbosity=0)
    # The seed's records were published long ago, as far as the digests are concerned.
    for record_type in registry:
        record_type.model.history.update(history_date=now - timedelta(days=400))
    demo = Demo()
    makers = [
        (Programme, make_programmes),
        (Event, make_events),
        (Opportunity, make_opportunities),
    ]
    for model, make in makers:
        make(OLD + NEW, demo)
        records = list(model.objects.filter(slug__startswith="demo-").order_by("pk"))
        for record in records:
            record.publication_status = PublicationStatus.PUBLISHED
        old, new = records[:-NEW], records[-NEW:]
        model.history.bulk_history_create(old, default_date=now - timedelta(days=365))
        for number, record in enumerate(new):
            when = now - timedelta(days=9, minutes=number)
            model.history.bulk_history_create([record], default_date=when)


def subscribe(count, now):
    """`count` confirmed weekly subscriptions to the lists of programmes, events,
    opportunities and SMEs, with a country, a sector, both or no filter, and to "find
    support" answers."""
    import random

    from alerts.models import Subscription
    from ecosystem.core.models import Country, Sector

    rng = random.Random(2026)
    countries = list(Country.objects.values_list("code", flat=True))
    sectors = list(Sector.objects.values_list("slug", flat=True))

    def support():
        parts = [f"country={rng.choice(countries)}", f"sector={rng.choice(sectors)}"]
        parts.append(f"stage={rng.randint(1, 3)}")
        parts.append(f"need={rng.choice(['funding', 'training', 'markets'])}")
        return "&".join(parts)

    def query():
        parts = []
        if rng.random() < 0.6:
            parts.append(f"country={rng.choice(countries)}")
        if rng.random() < 0.5:
            parts.append(f"sector={rng.choice(sectors)}")
        return "&".join(parts)

    Subscription.objects.all().delete()
    lists = ["programmes", "events", "opportunities", "smes", "support"]

    def subscription(n):
        followed = rng.choices(lists, [25, 25, 25, 10, 15])[0]
        return Subscription(
            email=f"reader{n}@example.org",
            followed=followed,
            query=support() if followed == "support" else query(),
            language=rng.choice(["en", "fr"]),
            confirmed=now - timedelta(days=30),
        )

    Subscription.objects.bulk_create((subscription(n) for n in range(count)), batch_size=2000)


def measure(now, covered_until):
    """One run of the digests for subscriptions last looked at `covered_until`."""
    from django.db import connection

    from alerts.digest import send_digests
    from alerts.models import Subscription

    Subscription.objects.update(covered_until=covered_until)
    queries = []
    with connection.execute_wrapper(lambda execute, *args: queries.append(1) or execute(*args)):
        started = time.perf_counter()
        counts = send_digests(now)
        took = time.perf_counter() - started
    distinct = Subscription.objects.values("followed", "query").distinct().count()
    return counts, took, len(queries), distinct


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="alerts_bench")
    parser.add_argument("--fresh", action="store_true", help="Remake the database.")
    parser.add_argument(
        "--template", help="Make it a copy of this database (make bench's 1m) before loading."
    )
    options = parser.parse_args()
    created = prepare_database(options.database, options.fresh, options.template)
    os.environ.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{options.database}",
        DJANGO_SETTINGS_MODULE="ecosystem.project.settings",
        DEBUG="1",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(SMTP_PORT),
    )
    import django

    django.setup()
    logging.disable(logging.INFO)
    from aiosmtpd.controller import Controller
    from django.core.management import call_command
    from django.db.models import Max
    from django.utils import timezone

    from programmes.models import Programme

    class Count:
        received = 0

        async def handle_DATA(self, server, session, envelope):
            Count.received += 1
            return "250 Message accepted"

    call_command("migrate", verbosity=0)
    if created:
        started = time.perf_counter()
        load(timezone.now())
        print(f"== loaded {options.database} in {time.perf_counter() - started:.0f} s")
    # The run's moment, from the data: the newest records were published nine days before.
    newest = Programme.history.aggregate(newest=Max("history_date"))["newest"]
    now = newest + timedelta(days=9)
    server = Controller(Count(), hostname="127.0.0.1", port=SMTP_PORT)
    server.start()
    try:
        print(
            f"{'subscriptions':>13} {'filters':>8} {'case':<12} {'sent':>6} {'nothing':>8} "
            f"{'failed':>6} {'queries':>8} {'seconds':>8} {'mails/s':>8}"
        )
        for size in SIZES:
            subscribe(size, now)
            cases = [
                ("new records", now - timedelta(days=11)),
                ("nothing new", now - timedelta(days=8)),
            ]
            for case, covered_until in cases:
                counts, took, queries, distinct = measure(now, covered_until)
                rate = counts["sent"] / took if took else 0
                print(
                    f"{size:>13,} {distinct:>8,} {case:<12} {counts['sent']:>6,} "
                    f"{counts['nothing_new']:>8,} {counts['failed']:>6,} {queries:>8,} "
                    f"{took:>8.1f} {rate:>8.0f}"
                )
    finally:
        server.stop()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"mails the SMTP server received: {Count.received:,}")
    print(f"peak memory of the process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
