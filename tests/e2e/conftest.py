"""Browser tests: Debian's Chromium driven by Playwright, against the site as it runs in
production (gunicorn, DEBUG off, whitenoise, collected static files) on a fresh SQLite
database holding the seed data.

Without Chromium they are skipped, and `make test` says so; CI sets E2E_REQUIRED=1, which
turns a missing browser into a failure."""

import os
from pathlib import Path

import pytest

from tests.e2e.server import production_site

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
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


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The production configuration, served by gunicorn; yields its base URL."""
    with production_site(tmp_path_factory.mktemp("site")) as base:
        yield base


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
