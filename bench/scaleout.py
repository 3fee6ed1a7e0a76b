"""`make scaleout`: several application servers, one PostgreSQL, one Redis.

It starts two (--servers N) gunicorn servers with the production configuration on
different loopback ports, all with the same settings and secret key, against one
PostgreSQL database of its own (the seed) and one Redis database, then checks, as a
visitor and as a staff member with a browser's cookies would, and prints a table:

- they serve the same data (the same API answer);
- they share the cache: a page one server cached is answered by another from Redis;
- a session made by logging in on the first server is valid on the others;
- a record renamed in the admin on the first server (its change form sent with its CSRF
  token) shows under the new name at once on the others' public page and API;
- once the first server is killed (SIGKILL to its master and workers, as a crash), the
  others still serve pages, the API and the session, and take an edit.

It exits with an error if any check fails. The servers stop with it.
"""

import argparse
import html
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import redis

from bench.serving import (
    Gunicorn,
    flush_redis,
    free_port,
    manage,
    prepare,
    production_env,
    psql,
    redis_answers,
)
from bench.staff import HOST, Browser, log_in, rename, staff_member

SLUG = "optic"  # a seeded organization
STAFF = "scaleout-staff"


class Checks:
    def __init__(self):
        self.rows = []

    def check(self, what, where, seen, ok):
        self.rows.append((what, where, seen, ok))
        print(f"{'ok  ' if ok else 'FAIL'} {what} [{where}]: {seen}", flush=True)
        return ok

    def table(self):
        lines = ["| # | check | server | seen | result |", "| ---: | --- | --- | --- | --- |"]
        for number, (what, where, seen, ok) in enumerate(self.rows, 1):
            seen = str(seen).replace("|", "\\|")
            lines.append(f"| {number} | {what} | {where} | {seen} | {'ok' if ok else 'FAILED'} |")
        return "\n".join(lines)


def api_name(port):
    response, text = Browser().get(port, f"/api/v1/organizations/{SLUG}/")
    return response.status, json.loads(text).get("name_en") if response.status == 200 else None


def page_title(port):
    """The record's name as its public page shows it (its <h1>, with the acronym)."""
    response, text = Browser().get(port, f"/en/organizations/{SLUG}/")
    found = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S)
    name = html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip() if found else None
    return response.status, name


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=2, help="How many (at least 2).")
    parser.add_argument(
        "--ports",
        default=os.environ.get("SCALEOUT_PORTS", ""),
        help="Comma-separated, one per server; free ports by default.",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument(
        "--database", default=os.environ.get("SCALEOUT_DATABASE", "ecosystem_scaleout")
    )
    parser.add_argument(
        "--redis-db", type=int, default=int(os.environ.get("SCALEOUT_REDIS_DB", 14))
    )
    options = parser.parse_args()
    ports = [int(p) for p in options.ports.split(",") if p] or [
        free_port() for _ in range(options.servers)
    ]
    if len(ports) < 2:
        sys.exit("Scale-out needs at least two servers.")
    if not redis_answers():
        sys.exit("Redis does not answer on 127.0.0.1:6379: the servers share their cache there.")

    workdir = Path(tempfile.mkdtemp(prefix="scaleout-"))
    # One environment for all: the same database, Redis and secret key (a session is
    # checked against the key, so every server must hold the same one).
    env = production_env(
        options.database, workdir, redis_db=options.redis_db, SITE_URL=f"http://{HOST}"
    )
    prepare("0", options.database, env, fresh=False)
    manage(env, "collectstatic", "--no-input", "-v0")
    flush_redis(options.redis_db)
    password = staff_member(env, STAFF)
    pk = psql(f"SELECT id FROM members_organization WHERE slug = '{SLUG}'", options.database)
    original = psql(f"SELECT name_en FROM members_organization WHERE id = {pk}", options.database)

    names = [chr(ord("A") + n) for n in range(len(ports))]
    servers = {
        name: Gunicorn(
            port,
            env,
            workers=options.workers,
            args=["--access-logfile", "/dev/null"],
            log=workdir / f"server-{name}.log",
        )
        for name, port in zip(names, ports, strict=True)
    }
    first, others = names[0], names[1:]
    port = {name: server.port for name, server in servers.items()}
    checks = Checks()
    cache = redis.Redis(host="127.0.0.1", port=6379, db=options.redis_db)
    try:
        for server in servers.values():
            server.wait_ready()
        print(f"== {len(servers)} servers on ports {', '.join(map(str, ports))} ({workdir})")
        for name in names:
            response, text = Browser().get(port[name], "/healthz")
            checks.check(
                "answers /healthz",
                name,
                f"{response.status}, master pid {servers[name].process.pid}",
                response.status == 200,
            )

        # A page cached by A: the others answer it from Redis, so its entry is not
        # written again and its time to live keeps running down.
        cached_before = set(cache.scan_iter("*page:*"))
        status, before = page_title(port[first])
        entries = set(cache.scan_iter("*page:*")) - cached_before
        entry = entries.pop() if len(entries) == 1 else None
        ttl = cache.ttl(entry) if entry else None
        time.sleep(2.1)
        for name in others:
            status, seen = page_title(port[name])
            left = cache.ttl(entry) if entry else None
            checks.check(
                "shared cache: answers the page A cached, from Redis",
                name,
                f"{status} {seen!r}; the entry's time to live {ttl} s, then {left} s",
                entry is not None and status == 200 and seen == before and left < ttl,
            )

        staff = Browser()
        response = log_in(staff, port[first], STAFF, password)
        checks.check(
            "staff log in",
            first,
            f"{response.status} to {response.getheader('Location')}",
            response.status == 302 and staff.cookie("sessionid") is not None,
        )
        for name in others:
            response, text = staff.get(port[name], "/admin/")
            checks.check(
                "the session made on A is valid",
                name,
                f"/admin/ {response.status}"
                + (", names the staff member" if STAFF in text else ""),
                response.status == 200 and STAFF in text,
            )

        # Staff requests are never kept by the page cache: each server reads the database.
        answers = {
            name: staff.get(port[name], f"/api/v1/organizations/{SLUG}/")[1] for name in names
        }
        for name in others:
            checks.check(
                "same data: the API answer it renders is A's",
                name,
                f"{len(answers[name])} bytes, identical"
                if answers[name] == answers[first]
                else "different",
                answers[name] == answers[first],
            )

        new_name = f"{original} (renamed on A at {time.strftime('%H:%M:%S')})"
        status, _ = rename(staff, port[first], pk, new_name)
        checks.check("rename the record in the admin form", first, f"POST {status}", status == 302)
        for name in others:
            status, seen = page_title(port[name])
            checks.check(
                "the public page shows the new name at once",
                name,
                f"{status} {seen!r}",
                status == 200 and new_name in (seen or ""),
            )
            status, seen = api_name(port[name])
            checks.check(
                "the API shows the new name at once",
                name,
                f"{status} {seen!r}",
                status == 200 and seen == new_name,
            )
        # The form was sent as a browser sends it: nothing but the name (and the time of
        # the change) differs, countries, sectors, sources and links included.
        after = json.loads(Browser().get(port[others[0]], f"/api/v1/organizations/{SLUG}/")[1])
        before = json.loads(answers[first])
        changed = sorted(
            key for key in before.keys() | after.keys() if before.get(key) != after.get(key)
        )
        checks.check(
            "the edit changed only the name",
            others[0],
            "fields changed in the API: " + ", ".join(changed),
            set(changed) <= {"name", "name_en", "updated"} and "name_en" in changed,
        )

        servers[first].kill()
        try:
            Browser().get(port[first], "/healthz")
            refused = "still answers"
        except OSError as error:
            refused = type(error).__name__
        checks.check(
            "killed (SIGKILL, master and workers)", first, refused, refused != "still answers"
        )
        for name in others:
            response, _ = Browser().get(port[name], "/healthz")
            checks.check("still answers /healthz", name, response.status, response.status == 200)
            status, seen = page_title(port[name])
            checks.check(
                "still serves the page",
                name,
                f"{status} {seen!r}",
                status == 200 and new_name in (seen or ""),
            )
            status, seen = api_name(port[name])
            checks.check("still serves the API", name, f"{status} {seen!r}", status == 200)
            response, text = staff.get(port[name], "/admin/")
            checks.check(
                "the session still valid",
                name,
                f"/admin/ {response.status}",
                response.status == 200 and STAFF in text,
            )
        last = others[-1]
        status, _ = rename(staff, port[last], pk, original)
        _, seen = api_name(port[others[0]])
        checks.check(
            "takes an edit (the name put back)",
            last,
            f"POST {status}; API {seen!r}",
            status == 302 and seen == original,
        )
    finally:
        for server in servers.values():
            server.stop()
        cache.close()

    print("\n" + checks.table())
    failed = [row for row in checks.rows if not row[3]]
    if failed:
        sys.exit(f"\nFAILED: {len(failed)} of {len(checks.rows)} checks.")
    print(f"\nAll {len(checks.rows)} checks passed.")


if __name__ == "__main__":
    main()
