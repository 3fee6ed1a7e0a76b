"""Page weight benchmark: starts the site in its production configuration (gunicorn,
whitenoise, DEBUG off) on a fresh seeded database, loads each key page in Chromium as a
first visit on a phone, and prints what travelled: requests and bytes on the wire, with
the budget (60 KB, 10 requests) beside them.

    .venv/bin/python tools/page_weight.py
"""

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.e2e.server import first_load, production_site  # noqa: E402
from tests.e2e.test_quality import KEY_PAGES, MAX_BYTES, MAX_REQUESTS, VIEWPORTS  # noqa: E402


def main():
    header = f"{'page':<14} {'path':<55} {'requests':>8} {'page KB':>8} {'total KB':>9}"
    with (
        tempfile.TemporaryDirectory() as workdir,
        production_site(workdir) as site,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        print(header + f" {'of budget':>9}")
        for name, path in KEY_PAGES.items():
            transfers = first_load(browser, site + path, VIEWPORTS["phone"])
            page_size = transfers[0][1]
            total = sum(size for _url, size in transfers)
            print(
                f"{name:<14} {path:<55} {len(transfers):>8} {page_size / 1024:>8.1f} "
                f"{total / 1024:>9.1f} {total / MAX_BYTES:>9.0%}"
            )
        browser.close()
    print(f"budget: {MAX_BYTES // 1024} KB and {MAX_REQUESTS} requests per first load")


if __name__ == "__main__":
    main()
