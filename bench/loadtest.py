"""`make loadtest [DURATION=5m] [SIZE=10k] [EDGE=1]`: the site under load, as in production.

It serves the site with gunicorn (gunicorn.conf.py and its sync workers, DEBUG off, a
secret key made for the run, plain http on loopback) on a PostgreSQL database of its own
loaded with demo data (10,000 SMEs by default, ready in half a minute) and Redis, with
a job worker beside it (manage.py db_worker: the exports past the streaming limit), then
drives 64 connections with wrk for the duration over a mix of what visitors and partners
ask for: home, lists with filters and pages, each type's pages, country and sector pages,
search, API lists (filtered) and details, CSV exports, the feed and the calendars. As
staff do, it edits the data meanwhile: a thread logs in to the admin as a staff member
and saves an SME's change form every --edit-every seconds (10), so the admin is timed
under load and the caches are emptied as a real edit empties them.

It prints requests served, errors, latency p50/p95/p99 (wrk's, to the last byte),
requests per second, the server's own time per kind of request (from gunicorn's access
log) and over all of them (the target: p95 at most 300 ms at the origin), the admin's
saves, and each worker's resident memory at the start and at the end. It fails on any
error: a socket error or timeout, an answer other than 2xx or 3xx, or a save refused.

With --edge (EDGE=1), wrk asks nginx, started by the script on loopback in front of
gunicorn with the edge cache of docs/deployment.md (bench/edge.py), and the report adds
how many answers the edge gave from its cache, per kind of request; the server's
figures are then those of what reached it.

Workers are not recycled during the run (`--max-requests 0`, where production recycles
them every ~2,000 requests): the memory at the end is then that of workers that served
the whole run, which is what a soak is for. --recycle keeps production's recycling.
"""

import argparse
import gettext
import itertools
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import quote

from bench import edge as edge_cache
from bench.serving import (
    ROOT,
    SIZES,
    Gunicorn,
    JobWorker,
    cpu_seconds,
    flush_redis,
    free_port,
    get,
    manage,
    prepare,
    production_env,
    psql,
    redis_answers,
)
from bench.staff import Browser, log_in, rename, staff_member

CONNECTIONS = 64
STAFF = "loadtest-staff"
ORIGIN_P95_MS = 300
# How the requests are shared between kinds of request, in percent: browsing pages
# first, then the partners' API and the exports that are read less often but cost more.
MIX = {
    "home": 8,
    "list": 14,
    "list filtered": 14,
    "detail": 22,
    "country or sector": 8,
    "search": 8,
    "api list": 9,
    "api detail": 7,
    "csv export": 3,
    "feed": 3,
    "calendar": 4,
}
SEARCHES = ["dakar", "digital", "agri", "optic", "thies", "senegal", "export", "cote d'ivoire"]
SEARCHES += ["formation", "numerique", "hub", "ntf", "sipen", "dakkar", "xyzzy"]


def duration_seconds(text):
    """'300', '30s', '5m' or '1h' in seconds."""
    found = re.fullmatch(r"(\d+)([smh]?)", text.strip())
    if not found:
        raise argparse.ArgumentTypeError(f"a duration like 30s, 5m or 300, not {text!r}")
    return int(found.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[found.group(2)]


def column(sql, database):
    return [line for line in psql(sql, database).splitlines() if line]


def urls(database):
    """Each kind of request with its paths, from the database's own records."""

    def slugs(table, limit, where="TRUE"):
        # md5 orders the same way every run, and spreads the picks over the table.
        return column(
            f"SELECT slug FROM {table} WHERE {where} AND publication_status = 'published' "
            f"ORDER BY md5(slug) LIMIT {limit}",
            database,
        )

    smes = slugs("members_organization", 300, "kind = 'sme'")
    organizations = slugs("members_organization", 100, "kind <> 'sme'")
    programmes = slugs("programmes_programme", 60)
    events = slugs("events_event", 200)
    series = slugs("events_eventseries", 30)
    countries = column(
        "SELECT country_id FROM members_organization_countries GROUP BY 1 "
        "ORDER BY count(*) DESC LIMIT 12",
        database,
    )
    sectors = column("SELECT slug FROM ecosystem_sector ORDER BY slug", database)
    years = ["2018", "2019", "2022", "2024", "2025"]
    languages = ["fr", "en"]
    lists = ["organizations", "smes", "programmes", "events", "series"]
    both = itertools.product

    mix = {
        "home": ["/", "/fr/", "/en/", "/fr/", "/en/"],
        "list": [f"/{lang}/{key}/" for lang, key in both(languages, lists)]
        + [f"/{lang}/smes/?page={page}" for lang, page in both(languages, range(2, 30))]
        + [f"/en/organizations/?page={page}" for page in range(2, 8)]
        + [f"/fr/events/?page={page}" for page in range(2, 20)],
        "list filtered": [
            f"/{lang}/{key}/?country={country}"
            for lang, key, country in both(languages, lists[:4], countries)
        ]
        + [
            f"/{lang}/{key}/?sector={sector}"
            for lang, key, sector in both(languages, lists[:4], sectors)
        ]
        + [f"/en/smes/?country={country}&sector={sectors[0]}" for country in countries]
        + [f"/fr/smes/?country={country}&page=2" for country in countries]
        + [f"/en/programmes/?status={status}" for status in ("active", "closed", "planned")]
        + [f"/fr/events/?year={year}" for year in years]
        + [f"/en/events/?when={when}" for when in ("upcoming", "past")]
        + [f"/en/organizations/?kind={kind}" for kind in ("funder", "ngo", "association")]
        + [f"/fr/smes/?q={quote(term)}" for term in SEARCHES[:6]]
        + [f"/en/smes/?sort={sort}" for sort in ("name", "-updated")],
        "detail": [f"/{languages[n % 2]}/organizations/{slug}/" for n, slug in enumerate(smes)]
        + [f"/{lang}/organizations/{slug}/" for lang, slug in both(languages, organizations)]
        + [f"/{lang}/programmes/{slug}/" for lang, slug in both(languages, programmes)]
        + [f"/{languages[n % 2]}/events/{slug}/" for n, slug in enumerate(events)]
        + [f"/{lang}/series/{slug}/" for lang, slug in both(languages, series)],
        "country or sector": ["/fr/countries/", "/en/countries/", "/fr/sectors/"]
        + [f"/{lang}/countries/{code.lower()}/" for lang, code in both(languages, countries)]
        + [f"/{lang}/sectors/{slug}/" for lang, slug in both(languages, sectors)],
        "search": [f"/{lang}/search/?q={quote(term)}" for lang, term in both(languages, SEARCHES)],
        "api list": [f"/api/v1/{key}/" for key in (*lists, "countries", "sectors")]
        + [f"/api/v1/{key}/?country={country}" for key, country in both(lists[:4], countries)]
        + [f"/api/v1/smes/?sector={sector}&page=2" for sector in sectors]
        + [f"/api/v1/events/?year={year}" for year in years]
        + [f"/api/v1/programmes/?status={status}" for status in ("active", "closed")]
        + [f"/api/v1/smes/?page_size=100&page={page}" for page in range(1, 10)],
        "api detail": [f"/api/v1/smes/{slug}/" for slug in smes[:100]]
        + [f"/api/v1/organizations/{slug}/" for slug in organizations]
        + [f"/api/v1/programmes/{slug}/" for slug in programmes]
        + [f"/api/v1/events/{slug}/" for slug in events[:50]]
        + [f"/api/v1/countries/{code}/" for code in countries],
        "csv export": [f"/{lang}/programmes/export.csv" for lang in languages]
        + [f"/fr/organizations/export.csv?country={country}" for country in countries[:4]]
        + [f"/en/smes/export.csv?country={country}" for country in countries]
        + [f"/fr/events/export.csv?year={year}" for year in years],
        "feed": ["/fr/feed.atom", "/en/feed.atom"],
        "calendar": ["/events.ics", "/events.ics?when=upcoming"]
        + [f"/events.ics?country={country}" for country in countries[:4]]
        + [f"/{languages[n % 2]}/events/{slug}.ics" for n, slug in enumerate(events[:60])],
    }
    return {kind: [in_french_words(path) for path in paths] for kind, paths in mix.items()}


def in_french_words(path):
    """/fr/organizations/optic/ as French visitors ask for it, /fr/organisations/optic/
    (the English words answer 301 to it), from the French catalogue."""
    french = gettext.translation("django", ROOT / "locale", languages=["fr"])
    return re.sub(r"^/fr/([a-z]+/)", lambda found: "/fr/" + french.gettext(found[1]), path)


def write_paths(mix, path, lines=20_000):
    """The file wrk draws from: each kind of request takes its share of the lines, its
    paths repeated in turn, so that a random line follows the mix."""
    with open(path, "w") as out:
        for kind, paths in mix.items():
            share = lines * MIX[kind] // 100
            for path_ in itertools.islice(itertools.cycle(paths), share):
                out.write(path_ + "\n")


def percentile(values, share):
    values = sorted(values)
    if not values:
        return 0
    return values[min(len(values) - 1, max(0, round(share * (len(values) - 1))))]


def read_access_log(path, kinds, offset):
    """Per kind of request: statuses and the server's milliseconds, from the access log
    past offset (one line per answer: status, microseconds, request line)."""
    seen = defaultdict(lambda: {"statuses": Counter(), "ms": []})
    failed = Counter()
    with open(path, "rb") as log:
        log.seek(offset)
        lines = log.read().decode(errors="replace").splitlines()
    for line in lines:
        found = re.match(r'(\d{3}) (\d+) "GET (\S+) HTTP', line)
        if not found:
            continue
        status, micros, target = int(found.group(1)), int(found.group(2)), found.group(3)
        row = seen[kinds.get(target, "other")]
        row["statuses"][status] += 1
        row["ms"].append(micros / 1000)
        if not 200 <= status < 400:
            failed[(status, target)] += 1
    return seen, failed


class StaffEdits(threading.Thread):
    """A staff member logged in to the admin who saves an SME's change form every
    `every` seconds, its English name changed back and forth."""

    def __init__(self, port, env, database, every):
        super().__init__(daemon=True)
        self.port, self.every = port, every
        self.password = staff_member(env, STAFF)
        self.pk = psql(
            "SELECT id FROM members_organization WHERE kind = 'sme' "
            "AND publication_status = 'published' ORDER BY id LIMIT 1",
            database,
        )
        self.original = psql(
            f"SELECT name_en FROM members_organization WHERE id = {self.pk}", database
        )
        self.saves, self.failures = [], []
        self.stopped = threading.Event()

    def run(self):
        browser = Browser()
        for number in itertools.count(1):
            if self.stopped.wait(self.every):
                return
            name = f"{self.original} (edited)" if number % 2 else self.original
            try:
                if not browser.cookie("sessionid"):
                    response = log_in(browser, self.port, STAFF, self.password)
                    if response.status != 302:
                        self.failures.append(f"log in {number} answered {response.status}")
                        continue
                status, elapsed = rename(browser, self.port, self.pk, name)
            except OSError as error:
                self.failures.append(f"edit {number}: {error}")
                continue
            if status == 302:
                self.saves.append(elapsed)
            else:
                self.failures.append(f"save {number} answered {status}")


class Processor:
    """Where the machine's processor time goes during the run: the workers, the
    PostgreSQL backends serving this database, wrk, the rest."""

    def __init__(self, server, database, edge=None, jobs=None):
        self.server, self.database, self.edge, self.jobs = server, database, edge, jobs
        self.start = self.snapshot()

    def snapshot(self):
        backends = column(
            f"SELECT pid FROM pg_stat_activity WHERE datname = '{self.database}' "
            "AND pid <> pg_backend_pid()",
            "postgres",
        )
        with open("/proc/stat") as stat:
            jiffies = [int(n) for n in stat.readline().split()[1:9]]
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return {
            "workers": self.server.cpu_seconds(),
            "nginx": self.edge.cpu_seconds() if self.edge else 0,
            "jobs": self.jobs.cpu_seconds() if self.jobs else 0,
            "postgres": {pid: cpu_seconds(pid) for pid in backends},
            "children": children.ru_utime + children.ru_stime,
            "busy": (sum(jiffies) - jiffies[3] - jiffies[4]) / os.sysconf("SC_CLK_TCK"),
            "total": sum(jiffies) / os.sysconf("SC_CLK_TCK"),
        }

    def spent(self):
        end = self.snapshot()
        start = self.start
        postgres = sum(
            seconds - start["postgres"].get(pid, 0) for pid, seconds in end["postgres"].items()
        )
        spent = {
            "workers": end["workers"] - start["workers"],
            "nginx": end["nginx"] - start["nginx"],
            "jobs": end["jobs"] - start["jobs"],
            "postgres": postgres,
            "wrk": end["children"] - start["children"],
            "busy": end["busy"] - start["busy"],
            "total": end["total"] - start["total"],
        }
        spent["other"] = (
            spent["busy"]
            - spent["workers"]
            - spent["jobs"]
            - spent["nginx"]
            - spent["postgres"]
            - spent["wrk"]
        )
        return spent


class MemoryWatch(threading.Thread):
    """Samples the workers' resident memory every few seconds while the load runs."""

    def __init__(self, server, every=5):
        super().__init__(daemon=True)
        self.server, self.every = server, every
        self.samples = []  # (seconds since start, {pid: MB})
        self.stopped = threading.Event()
        self.started_at = time.monotonic()

    def run(self):
        while not self.stopped.wait(self.every):
            self.samples.append((time.monotonic() - self.started_at, self.server.memory()))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=duration_seconds, default="5m")
    parser.add_argument("--size", choices=list(SIZES), default="10k")
    parser.add_argument("--fresh", action="store_true", help="Remake the database.")
    parser.add_argument("--database", default=os.environ.get("LOADTEST_DATABASE"), help="its name")
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOADTEST_PORT", 0)))
    parser.add_argument(
        "--redis-db", type=int, default=int(os.environ.get("LOADTEST_REDIS_DB", 13))
    )
    parser.add_argument(
        "--edit-every", type=int, default=10, help="Seconds between admin saves; 0: none."
    )
    parser.add_argument("--recycle", action="store_true", help="Recycle workers as in production.")
    parser.add_argument("--edge", action="store_true", help="nginx's cache in front (EDGE=1).")
    options = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk (make loadtest installs it).")
    if options.edge and not edge_cache.nginx():
        sys.exit("nginx is missing: apt-get install nginx (make loadtest EDGE=1 installs it).")
    if not redis_answers():
        sys.exit("Redis does not answer on 127.0.0.1:6379: the site runs with it in production.")

    database = options.database or f"ecosystem_loadtest_{options.size}"
    port = options.port or free_port()
    # What visitors reach: nginx's port with the edge, else gunicorn's.
    public_port = free_port() if options.edge else port
    workdir = Path(tempfile.mkdtemp(prefix="loadtest-"))
    env = production_env(
        database, workdir, redis_db=options.redis_db, SITE_URL=f"http://127.0.0.1:{public_port}"
    )
    prepare(options.size, database, env, options.fresh)
    manage(env, "collectstatic", "--no-input", "-v0")
    flush_redis(options.redis_db)

    mix = urls(database)
    kinds = {path: kind for kind, paths in mix.items() for path in paths}
    paths_file = workdir / "paths.txt"
    write_paths(mix, paths_file)
    access_log = workdir / "access.log"
    server = Gunicorn(
        port,
        env,
        args=[
            *(() if options.recycle else ("--max-requests", "0")),
            *("--access-logfile", str(access_log)),
            *("--access-logformat", '%(s)s %(D)s "%(r)s"'),
            *("--error-logfile", str(workdir / "error.log")),
        ],
        log=workdir / "server.log",
    )
    # Exports past the streaming limit are written by a job, as in production.
    jobs = JobWorker(env, log=workdir / "jobs.log")
    edge = None
    try:
        server.wait_ready()
        # Every worker has imported its code and opened its connections before "start".
        for paths in mix.values():
            for path in paths[:3]:
                get(port, path, {"Accept-Encoding": "gzip"})
        if options.edge:
            edge = edge_cache.Edge(public_port, port, workdir / "nginx")
            edge.wait_ready()
            edge_offset = edge.access_log.stat().st_size
        start_memory, processor = server.memory(), Processor(server, database, edge, jobs)
        offset = access_log.stat().st_size
        server_offset = server.log_path.stat().st_size
        watch = MemoryWatch(server)
        watch.start()
        staff = StaffEdits(port, env, database, options.edit_every)
        if options.edit_every:
            staff.start()
        print(
            f"== {CONNECTIONS} connections for {options.duration} s over "
            f"{len(kinds):,} distinct URLs"
            + (f", through nginx's cache on port {public_port}" if edge else "")
            + f" (server log and access logs in {workdir})",
            flush=True,
        )
        wrk = subprocess.run(
            [
                *("wrk", "-t2", f"-c{CONNECTIONS}", f"-d{options.duration}s", "--timeout", "30s"),
                *("-s", str(ROOT / "bench" / "loadtest.lua")),
                f"http://127.0.0.1:{public_port}",
                *("--", str(paths_file)),
            ],
            capture_output=True,
            text=True,
        )
        staff.stopped.set()
        if staff.is_alive():  # a save under way ends before the server stops
            staff.join(timeout=60)
        watch.stopped.set()
        end_memory = server.memory()
        cpu = processor.spent()
        workers = len(server.workers())
    finally:
        if edge:
            edge.stop()
        server.stop()
        jobs.stop()

    found = re.search(r"^\{.*\}$", wrk.stdout, re.M)
    if wrk.returncode or not found:
        sys.exit(f"wrk failed:\n{wrk.stdout}\n{wrk.stderr}")
    summary = json.loads(found.group(0))
    seen, failed = read_access_log(access_log, kinds, offset)
    remade = read_remade(server.log_path, server_offset)
    at_edge = None
    if edge:
        at_edge, failed_at_edge = edge_cache.read_log(edge.access_log, kinds, edge_offset)
        # nginx's own 502 or 504 never reach gunicorn's log; the site's errors show in both.
        failed |= failed_at_edge
    report(
        options,
        database,
        summary,
        seen,
        failed,
        start_memory,
        end_memory,
        watch,
        workers,
        cpu,
        at_edge,
        staff,
        remade,
    )
    errors = sum(summary[name] for name in ("connect", "read", "write", "status", "timeout"))
    errors += sum(failed.values()) + len(staff.failures)
    if errors:
        sys.exit(f"\nFAILED: {errors} errors.")
    print("\nNo errors.")


REMADE = re.compile(r"Made again after its old answer was sent: \S+ ([\d.]+)ms")


def read_remade(path, offset):
    """The milliseconds of each answer a worker made again after sending the old one
    (ecosystem.core.cache.make_again): time no access log counts."""
    with open(path, "rb") as log:
        log.seek(offset)
        text = log.read().decode(errors="replace")
    return [float(found.group(1)) for found in REMADE.finditer(text)]


def report(
    options,
    database,
    summary,
    seen,
    failed,
    start_memory,
    end_memory,
    watch,
    workers,
    cpu,
    at_edge,
    staff,
    remade,
):
    seconds = summary["duration_us"] / 1e6
    served = sum(sum(row["statuses"].values()) for row in seen.values())
    answered = sum(sum(row.values()) for row in at_edge.values()) if at_edge else served
    served = max(served, 1)  # an edge may have answered everything
    statuses = Counter()
    for row in seen.values():
        statuses.update(row["statuses"])
    counts = ", ".join(f"{count:,} {name}" for name, count in SIZES[options.size].items())
    socket_errors = ", ".join(
        f"{name} {summary[name]}" for name in ("connect", "read", "write", "timeout")
    )
    edge = " through nginx's cache" if at_edge else ""
    print(
        f"\n## Load test: {CONNECTIONS} connections for {seconds:.0f} s{edge} "
        f"({database}: {counts})"
    )
    print(
        f"\nrequests served      {summary['requests']:,} in the run "
        f"({answered:,} answered, those in flight at the end included)"
    )
    if at_edge:
        cache_statuses = sum(at_edge.values(), Counter())
        print(
            f"edge cache (nginx)   {100 * edge_cache.hit_ratio(cache_statuses):.1f} % answered "
            "from its cache ("
            + ", ".join(f"{name} {cache_statuses[name]:,}" for name in edge_cache.FROM_CACHE)
            + "); the rest reached the site ("
            + ", ".join(
                f"{name} {count:,}"
                for name, count in cache_statuses.most_common()
                if name not in edge_cache.FROM_CACHE
            )
            + f"); gunicorn answered {served:,} requests, background updates included"
        )
    print(f"requests per second  {summary['requests'] / seconds:.1f}")
    origin = sorted(ms for row in seen.values() for ms in row["ms"])
    origin_p95 = percentile(origin, 0.95)
    print(
        f"at the origin        p50 {percentile(origin, 0.5):.1f} ms, p95 {origin_p95:.1f} ms, "
        f"p99 {percentile(origin, 0.99):.1f} ms over the {len(origin):,} answers gunicorn "
        f"timed (target: p95 at most {ORIGIN_P95_MS} ms: "
        + ("met" if origin_p95 <= ORIGIN_P95_MS else f"{origin_p95 - ORIGIN_P95_MS:.0f} ms over")
        + ")"
    )
    print(
        f"made again           {len(remade):,} answers made after their old one was sent, "
        f"p50 {percentile(remade, 0.5):.1f} ms, p95 {percentile(remade, 0.95):.1f} ms, "
        f"{sum(remade) / 1000:.1f} s of the workers' time in all (no access log counts it)"
    )
    if options.edit_every:
        print(
            f"admin saves          {len(staff.saves)} by a staff member logged in, one every "
            f"{options.edit_every} s: p50 {percentile(staff.saves, 0.5):.0f} ms, "
            f"max {max(staff.saves, default=0):.0f} ms; "
            + (", ".join(staff.failures) if staff.failures else "none refused")
        )
    print(
        f"errors               {summary['status']} answers >= 400 (wrk), "
        f"{sum(failed.values())} outside 2xx/3xx (access log), sockets: {socket_errors}"
    )
    print("statuses             " + ", ".join(f"{s}: {n:,}" for s, n in sorted(statuses.items())))
    print(
        f"latency (wrk)        p50 {summary['p50_us'] / 1000:.1f} ms, "
        f"p95 {summary['p95_us'] / 1000:.1f} ms, p99 {summary['p99_us'] / 1000:.1f} ms, "
        f"max {summary['max_us'] / 1000:.0f} ms"
    )
    print(
        f"processor            {100 * cpu['busy'] / cpu['total']:.0f} % of the machine's "
        f"{cpu['total']:.0f} s ({os.cpu_count()} cores) busy: workers {cpu['workers']:.0f} s "
        f"({1000 * cpu['workers'] / served:.0f} ms a request they served), PostgreSQL for this "
        f"database {cpu['postgres']:.0f} s ({1000 * cpu['postgres'] / served:.0f} ms a request), "
        + f"job worker {cpu['jobs']:.0f} s, "
        + (f"nginx {cpu['nginx']:.0f} s, " if at_edge else "")
        + f"wrk {cpu['wrk']:.0f} s, everything else {cpu['other']:.0f} s"
    )
    print(f"load average         {' / '.join(f'{n:.1f}' for n in os.getloadavg())} at the end")
    print(f"transferred          {summary['bytes'] / 2**20:.0f} MB (gzip where asked)")
    print(
        f"workers              {workers} (sync: one request at a time each), "
        + ("recycled as in production" if options.recycle else "not recycled during the run")
    )
    for pid in sorted(set(start_memory) | set(end_memory)):
        start, end = start_memory.get(pid), end_memory.get(pid)
        peak = max((sample.get(pid, 0) for _, sample in watch.samples), default=0)
        print(
            f"  worker {pid:<8} RSS start {start or 0:6.1f} MB, end {end or 0:6.1f} MB"
            + (f", growth {end - start:+.1f} MB" if start and end else "")
            + f", peak {peak:.1f} MB"
        )
    if start_memory and end_memory:
        print(
            f"  all workers        start {sum(start_memory.values()):.0f} MB, "
            f"end {sum(end_memory.values()):.0f} MB"
        )
        minutes = [
            f"{round(seconds / 60)} min {sum(sample.values()):.0f}"
            for seconds, sample in watch.samples
            if seconds % 60 < watch.every
        ]
        print(
            f"  all workers over time: start {sum(start_memory.values()):.0f}, "
            + ", ".join(minutes)
            + f", end {sum(end_memory.values()):.0f} MB"
        )
    edge_columns = " at the edge | from its cache | at the site |" if at_edge else " requests |"
    print(f"\n| kind of request |{edge_columns} share | server p50 ms | p95 | p99 | not 2xx/3xx |")
    print("| --- |" + " ---: |" * (8 if at_edge else 6))
    for kind in [*MIX, "other"]:
        row = seen.get(kind, {"statuses": Counter(), "ms": []})
        edge_row = at_edge.get(kind, Counter()) if at_edge else Counter()
        if not row["statuses"] and not edge_row:
            continue
        total = sum(row["statuses"].values())
        bad = sum(n for status, n in row["statuses"].items() if not 200 <= status < 400)
        cells = (
            f" {sum(edge_row.values()):,} | {100 * edge_cache.hit_ratio(edge_row):.0f} % |"
            if at_edge
            else ""
        )
        print(
            f"| {kind} |{cells} {total:,} | {100 * total / served:.1f} % "
            f"| {percentile(row['ms'], 0.5):.1f} | {percentile(row['ms'], 0.95):.1f} "
            f"| {percentile(row['ms'], 0.99):.1f} | {bad} |"
        )
    if failed:
        print("\nAnswers outside 2xx/3xx:")
        for (status, target), count in failed.most_common(20):
            print(f"  {count:>6} × {status} {target}")


if __name__ == "__main__":
    main()
