"""Browser tests: Debian's Chromium driven by Playwright, against the site as it runs in
production (gunicorn, DEBUG off, whitenoise, collected static files) on a fresh SQLite
database holding the seed data.

Without Chromium they are skipped, and `make test` says so; CI sets E2E_REQUIRED=1, which
turns a missing browser into a failure."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
ADMIN_PASSWORD = "e2e-staff-password-1"
# As the machines' probe runs Chromium: no sandbox as root, no background networking
# (the network is closed), a fresh profile.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    reason = f"Chromium not found at {CHROMIUM}: browser tests skipped"
    if os.environ.get("E2E_REQUIRED") == "1":
        raise pytest.UsageError(f"{reason}, but E2E_REQUIRED=1 makes them mandatory.")
    for item in items:
        if "e2e" in item.nodeid:
            item.add_marker(pytest.mark.skip(reason=reason))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The production configuration, served by gunicorn; yields its base URL."""
    workdir = tmp_path_factory.mktemp("site")
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "e2e-" + "k" * 60,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"sqlite:///{workdir / 'e2e.sqlite3'}",
        "STATIC_ROOT": str(workdir / "static"),
        "SECURE_COOKIES": "0",
        "DJANGO_SUPERUSER_PASSWORD": ADMIN_PASSWORD,
        "DJANGO_SETTINGS_MODULE": "ecosystem.settings",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (
        ["migrate", "--no-input", "-v0"],
        ["seed_ecosystem", "-v0"],
        ["collectstatic", "--no-input", "-v0"],
        ["createsuperuser", "--no-input", "--username", "staff", "--email", "staff@example.org"],
    ):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, capture_output=True)
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    server = subprocess.Popen(
        [
            gunicorn,
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--access-logfile",
            str(workdir / "access.log"),
            "--error-logfile",
            str(workdir / "error.log"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        server.terminate()
        raise RuntimeError("the site did not start:\n" + (workdir / "error.log").read_text())
    yield base
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts():
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def pytest_terminal_summary(terminalreporter):
    if not Path(CHROMIUM).exists():
        terminalreporter.write_line(
            f"NOTE: the browser tests (tests/e2e) were SKIPPED: no Chromium at {CHROMIUM}. "
            "Install Debian's chromium package to run them; CI requires them.",
            yellow=True,
            bold=True,
        )
    elif ARTIFACTS.exists():
        terminalreporter.write_line(f"Screenshots of the key pages: {ARTIFACTS / 'screenshots'}")
