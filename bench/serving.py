"""The site served as in production, for the scripts that measure or exercise it
(`make bench`, `make loadtest`, `make scaleout`): a PostgreSQL database of their own,
the production settings on plain http over loopback, and gunicorn with gunicorn.conf.py.
"""

import contextlib
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SIZES = {
    "0": {},  # the seed alone
    "10k": {
        "smes": 10_000,
        "organizations": 200,
        "programmes": 100,
        "events": 1_000,
        "opportunities": 1_000,
    },
    "100k": {
        "smes": 100_000,
        "organizations": 1_000,
        "programmes": 1_000,
        "events": 10_000,
        "opportunities": 10_000,
    },
    "1m": {
        "smes": 1_000_000,
        "organizations": 5_000,
        "programmes": 10_000,
        "events": 100_000,
        "opportunities": 100_000,
    },
}


def run(command, env, **kwargs):
    subprocess.run(command, cwd=ROOT, env=env, check=True, **kwargs)


def manage(env, *args, quiet=False):
    run([PYTHON, "manage.py", *args], env, stdout=subprocess.DEVNULL if quiet else None)


def psql(sql, database="postgres"):
    result = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-Atqc", sql],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def redis_answers():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def flush_redis(number):
    subprocess.run(["redis-cli", "-n", str(number), "flushdb"], capture_output=True, check=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(database, workdir, redis_db=None, **extra):
    """The environment of a production server on plain http over loopback: DEBUG off, a
    secret key made for this run, the host named, https redirects and secure cookies off
    (there is no TLS on loopback), static files collected into workdir."""
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SECURE_COOKIES": "0",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "STATIC_ROOT": str(Path(workdir) / "static"),
        "DJANGO_SETTINGS_MODULE": "ecosystem.project.settings",
        "PYTHONPATH": str(ROOT),
        **extra,
    }
    env.pop("REDIS_URL", None)
    if redis_db is not None:
        env["REDIS_URL"] = f"redis://127.0.0.1:6379/{redis_db}"
    return env


def prepare(size, database, env, fresh):
    """The database at the size asked, migrated, seeded and loaded with demo data (kept
    between runs); returns how long loading the demo data took (None if reused)."""
    counts = SIZES[size]
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}'")
    if exists and fresh:
        psql(f'DROP DATABASE "{database}"')
        exists = False
    if exists:
        loaded = psql(
            "SELECT count(*) FROM members_organization WHERE kind = 'sme' AND slug LIKE 'demo-%'",
            database,
        )
        seeded = psql("SELECT count(*) > 0 FROM members_organization", database) == "t"
        if seeded and loaded == str(counts.get("smes", 0)):
            print(f"== reusing {database} ({int(loaded):,} demo SMEs); FRESH=1 remakes it")
            manage(env, "migrate", "--no-input", "-v0")
            return None
        psql(f'DROP DATABASE "{database}"')
    print(f"== creating {database}")
    psql(f'CREATE DATABASE "{database}"')
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "seed_ecosystem", "-v0")
    if not counts:
        return None
    started = time.monotonic()
    manage(env, "generate_demo_data", *(f"--{name}={count}" for name, count in counts.items()))
    elapsed = time.monotonic() - started
    psql("VACUUM ANALYZE", database)
    return elapsed


def get(port, path, headers=None, timeout=120):
    """(status, milliseconds to the last byte, body, response) of one GET."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    started = time.perf_counter()
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    connection.close()
    return response.status, elapsed, body, response


def cpu_seconds(pid):
    """The processor time a process has used so far (user and system), 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


class JobWorker:
    """The background jobs' worker (manage.py db_worker), beside the web server as in
    production (docs/operations.md, "Background jobs"): large exports, warm-ups, digests."""

    def __init__(self, env, log=None):
        self.log = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            [PYTHON, "manage.py", "db_worker"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )

    def cpu_seconds(self):
        return cpu_seconds(self.process.pid)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)


class Gunicorn:
    """One application server: gunicorn with the production configuration
    (gunicorn.conf.py) on a loopback port, in a process group of its own so that it can
    be killed whole, workers included, as a crash would."""

    def __init__(self, port, env, workers=None, args=(), log=None):
        self.port = port
        self.log_path = log
        command = [
            shutil.which("gunicorn", path=str(Path(PYTHON).parent)) or "gunicorn",
            *("-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"),
            *(("--workers", str(workers)) if workers else ()),
            *args,
        ]
        self.log = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log, stderr=self.log, start_new_session=True
        )

    def wait_ready(self, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn on port {self.port} stopped at start")
            try:
                if get(self.port, "/healthz", timeout=5)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn on port {self.port} did not answer /healthz in {seconds} s")

    def workers(self):
        """The worker processes' ids."""
        pid = self.process.pid
        try:
            return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except FileNotFoundError:
            return []

    def memory(self):
        """Each worker's resident memory in MB, by process id."""
        sizes = {}
        for pid in self.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except FileNotFoundError:
                continue  # recycled between the listing and the reading
            sizes[pid] = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024
        return sizes

    def cpu_seconds(self):
        """The processor time the workers have used so far (user and system)."""
        return sum(cpu_seconds(pid) for pid in self.workers())

    def recycle(self, seconds=60):
        """Every worker ended as `max_requests` ends it; returns once the master has
        forked as many new ones and each has said it is warmed (gunicorn.conf.py)."""
        old = self.workers()
        for pid in old:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            warmed = {int(pid) for pid in re.findall(rb"Worker (\d+) warmed", self.read_log())}
            fresh = set(self.workers()) - set(old)
            if len(fresh) >= len(old) and fresh <= warmed:
                return
            time.sleep(0.05)
        raise RuntimeError(f"gunicorn on port {self.port} did not fork new workers in {seconds} s")

    def read_log(self):
        return Path(self.log_path).read_bytes() if self.log_path else b""

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def kill(self):
        """SIGKILL to the master and its workers at once: the server dies as in a crash."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
