"""An edge cache in front of the site, for `make loadtest EDGE=1`: Debian's nginx, run by
the script as a foreground process on loopback with a configuration and a cache folder
of its own in the run's folder (never the system's service or files), proxying to the
gunicorn the load test started. Its cache directives are those docs/deployment.md shows
("An edge cache"): the site's Cache-Control decides what is kept and how long.

Its access log records, for every answer, whether the cache answered it
($upstream_cache_status): HIT, STALE or UPDATING (served from the cache, the last two
while a background request fetches the new one), REVALIDATED (the site answered 304 to
nginx's conditional request), MISS or EXPIRED (the site rendered it), BYPASS (a staff
session)."""

import os
import pwd
import re
import shutil
import signal
import subprocess
import time
from collections import Counter, defaultdict
from pathlib import Path

from bench.serving import cpu_seconds, get

# Answered by nginx without waiting for the site.
FROM_CACHE = ("HIT", "STALE", "UPDATING")

CONFIG = """\
daemon off;
{user}
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;

events {{
    worker_connections 4096;
}}

http {{
    log_format edge '$status $upstream_cache_status $request_time "$request"';
    access_log {folder}/access.log edge;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;

    proxy_cache_path {folder}/cache levels=1:2 keys_zone=ecosystem:10m max_size=1g
                     inactive=10m use_temp_path=off;
    map $http_cookie $staff_session {{
        default 0;
        "~(^|;)\\s*(__Host-)?sessionid=" 1;
    }}

    upstream ecosystem {{
        server 127.0.0.1:{upstream};
    }}

    server {{
        listen 127.0.0.1:{port};

        location / {{
            proxy_pass http://ecosystem;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Request-ID $request_id;
            proxy_connect_timeout 2s;
            proxy_read_timeout 35s;

            proxy_cache ecosystem;
            proxy_cache_revalidate on;
            proxy_cache_use_stale updating error timeout http_500 http_502 http_503 http_504;
            proxy_cache_background_update on;
            proxy_cache_lock on;
            proxy_cache_bypass $staff_session;
            proxy_no_cache $staff_session;
            add_header X-Cache-Status $upstream_cache_status always;
        }}
    }}
}}
"""


def nginx():
    """Debian's nginx, where its package puts it (/usr/sbin is not on every PATH)."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


class Edge:
    """nginx on a loopback port in front of the site's port, in a process group of its
    own; everything it writes stays in `folder`."""

    def __init__(self, port, upstream, folder):
        self.port, self.folder = port, Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.access_log = self.folder / "access.log"
        # Run as root (a container), nginx hands its workers to "nobody" unless told.
        user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
        self.config = self.folder / "nginx.conf"
        self.config.write_text(
            CONFIG.format(user=user, folder=self.folder, upstream=upstream, port=port)
        )
        command = [nginx(), "-p", str(self.folder), "-e", str(self.folder / "error.log")]
        subprocess.run([*command, "-t", "-q", "-c", str(self.config)], check=True)
        self.log = open(self.folder / "nginx.out", "ab")  # noqa: SIM115
        self.process = subprocess.Popen(
            [*command, "-c", str(self.config)],
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )

    def wait_ready(self, seconds=30):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx on port {self.port} stopped at start ({self.folder})")
            try:
                if get(self.port, "/healthz", timeout=5)[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            raise RuntimeError(f"nginx on port {self.port} did not answer /healthz in {seconds} s")
        # nginx logs an answer once sent: wait for the line, so that what follows is the run.
        while not self.access_log.stat().st_size and time.monotonic() < deadline:
            time.sleep(0.05)

    def cpu_seconds(self):
        """The processor time nginx has used so far, master and workers."""
        pid = self.process.pid
        try:
            workers = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except FileNotFoundError:
            workers = []
        return cpu_seconds(pid) + sum(cpu_seconds(int(worker)) for worker in workers)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()


def read_log(path, kinds, offset):
    """Per kind of request, how the edge answered (cache status), from the access log
    past offset; and the answers outside 2xx/3xx, by status and path."""
    seen = defaultdict(Counter)
    failed = Counter()
    with open(path, "rb") as log:
        log.seek(offset)
        lines = log.read().decode(errors="replace").splitlines()
    for line in lines:
        found = re.match(r'(\d{3}) (\S+) \S+ "GET (\S+) HTTP', line)
        if not found:
            continue
        status, cache_status, target = int(found.group(1)), found.group(2), found.group(3)
        seen[kinds.get(target, "other")][cache_status] += 1
        # 499: wrk hung up on the requests still in flight when the run ended.
        if not 200 <= status < 400 and status != 499:
            failed[(status, target)] += 1
    return seen, failed


def hit_ratio(statuses):
    total = sum(statuses.values())
    return sum(statuses[name] for name in FROM_CACHE) / total if total else 0
