"""A database outage, rehearsed: the site served by gunicorn as in production, its
PostgreSQL reached through a relay that this script stops, freezes and brings back.
Prints what visitors get in each state and how long the site takes to heal.

    .venv/bin/python tools/outage_drill.py [--database ecosystem_outage]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres); the database is made for the drill
and dropped after it.
"""

import argparse
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.server import Relay, free_port, gunicorn, production_env  # noqa: E402

PATHS = ["/en/", "/fr/programmes/", "/api/v1/programmes/", "/healthz"]


def get(url, timeout=10):
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError as error:
        status = type(error).__name__
    return status, time.monotonic() - started


def manage(env, *arguments):
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *arguments], cwd=ROOT, env=env, check=True
    )


def until_healed(base):
    """Seconds from now until the first 200 on a page, polling every 50 ms."""
    started = time.monotonic()
    while get(base + "/fr/programmes/")[0] != 200:
        time.sleep(0.05)
    return time.monotonic() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="ecosystem_outage")
    options = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="outage-"))
    relay = Relay(5432)
    port = free_port()
    env = production_env(
        workdir, port, f"postgres://postgres@127.0.0.1:{relay.port}/{options.database}"
    )
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", options.database])
    print("== preparing the database and the static files")
    manage(env | {"DEBUG": "1"}, "migrate", "--no-input", "-v0")
    manage(env | {"DEBUG": "1"}, "seed_ecosystem", "-v0")
    manage(env, "collectstatic", "--no-input", "-v0")
    base = f"http://127.0.0.1:{port}"
    rows = []
    with gunicorn(env, workdir, port):
        for path in PATHS:
            get(base + path)  # each worker loads the code and opens its connection
        for state, cut in (("down", relay.stop), ("frozen", relay.freeze)):
            cut()
            for path in PATHS:
                rows.append((state, path, *get(base + path)))
            relay.state = "up"
            rows.append((state, "back: first 200 after", "", until_healed(base)))
    print(f"\n{'database':<16} {'request':<24} {'status':>6} {'seconds':>8}")
    for state, path, status, seconds in rows:
        print(f"{state:<16} {path:<24} {status!s:>6} {seconds:>8.2f}")
    subprocess.run(["dropdb", "--force", "-h", "127.0.0.1", "-U", "postgres", options.database])


if __name__ == "__main__":
    main()
