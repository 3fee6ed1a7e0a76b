"""The site as it runs in production (gunicorn, DEBUG off, whitenoise and collected static
files) on a fresh SQLite database holding the seed data: for the browser tests and for
tools/page_weight.py. And a relay to cut a database off (tests/test_faults.py,
tools/outage_drill.py)."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ADMIN_PASSWORD = "e2e-staff-password-1"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(workdir, port, database_url):
    """The environment of the site as it runs in production, over plain http on loopback:
    no HTTPS redirect, no secure cookies, links to the address it is served at."""
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "e2e-" + "k" * 60,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(workdir / "static"),
        # Uploaded logos, served by the site itself: no proxy here (ecosystem.project.media).
        "MEDIA_ROOT": str(workdir / "media"),
        "SECURE_COOKIES": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DJANGO_SETTINGS_MODULE": "ecosystem.project.settings",
    }


@contextmanager
def production_site(workdir):
    """Yields the base URL of the running site; stops it afterwards."""
    workdir = Path(workdir)
    port = free_port()
    env = production_env(workdir, port, f"sqlite:///{workdir / 'e2e.sqlite3'}")
    env["DJANGO_SUPERUSER_PASSWORD"] = ADMIN_PASSWORD
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (
        ["migrate", "--no-input", "-v0"],
        ["seed_ecosystem", "-v0"],
        ["collectstatic", "--no-input", "-v0"],
        ["createsuperuser", "--no-input", "--username", "staff", "--email", "staff@example.org"],
    ):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, capture_output=True)
    base = f"http://127.0.0.1:{port}"
    with gunicorn(env, workdir, port):
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("the site did not start:\n" + (workdir / "error.log").read_text())
        yield base


@contextmanager
def gunicorn(env, workdir, port, *options):
    """gunicorn serving the site with `env` on `port`, once it accepts connections; its
    logs in `workdir`."""
    executable = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    server = subprocess.Popen(
        [
            executable,
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            *options,
            "--access-logfile",
            str(workdir / "access.log"),
            "--error-logfile",
            str(workdir / "error.log"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # Its own process group: a worker left behind (stuck, its arbiter killed) is
        # killed with it.
        start_new_session=True,
    )
    try:
        for _ in range(150):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.1)
        if server.poll() is not None:
            raise RuntimeError("gunicorn did not start:\n" + (workdir / "error.log").read_text())
        yield server
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        with suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)


class Relay:
    """A TCP relay in front of a database server, that the test can stop, freeze (bytes
    held, connections open: a frozen server, whose kernel still acknowledges packets) and
    bring back."""

    def __init__(self, target_port):
        self.target = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.state = "up"
        # Bytes (a query's text) that freeze the relay as they pass: the server freezes
        # at that moment of a request.
        self.freeze_on = None
        self.sockets = []
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            client, _ = self.listener.accept()
            if self.state == "down":
                client.close()
                continue
            upstream = socket.create_connection(("127.0.0.1", self.target))
            self.sockets += [client, upstream]
            for source, destination in ((client, upstream), (upstream, client)):
                threading.Thread(target=self.pump, args=(source, destination), daemon=True).start()

    def pump(self, source, destination):
        try:
            while data := source.recv(65536):
                if self.freeze_on and self.freeze_on in data:
                    self.freeze_on = None
                    self.freeze()
                while self.state == "frozen":
                    time.sleep(0.05)
                destination.sendall(data)
        except OSError:
            pass
        for sock in (source, destination):
            sock.close()

    def freeze(self):
        self.state = "frozen"

    def stop(self):
        """Every relayed connection cut; new ones refused until `state` is "up" again."""
        self.state = "down"
        for sock in self.sockets:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self.sockets = []


def first_load(browser, url, viewport):
    """A first visit to `url`: [(request URL, bytes on the wire incl. headers)], the HTML
    document first."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    response = page.goto(url, wait_until="load")
    assert response.status == 200, f"{url}: {response.status}"
    transfers = []
    for request in sorted(finished, key=lambda request: request.resource_type != "document"):
        sizes = request.sizes()
        transfers.append((request.url, sizes["responseBodySize"] + sizes["responseHeadersSize"]))
    context.close()
    return transfers
