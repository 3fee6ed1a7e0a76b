"""Key pages, measured in the browser: accessibility (axe-core) and weight on the wire.
The screenshots are test_design.py's."""

import gzip
from pathlib import Path

import pytest

from tests.e2e.server import first_load

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
KEY_PAGES = {
    "home": "/en/",
    "home-fr": "/fr/",
    "programmes": "/en/programmes/?country=ML&sector=digital-technology",
    "programme": "/fr/programmes/hub-iit-deployment/",
    "organization": "/en/organizations/optic/",
    "organizations": "/fr/organisations/",
    "series": "/fr/series/sipen/",
    "series-list": "/en/series/",
    "events": "/fr/evenements/",
    "event": "/en/events/it-bpo-sector-consultation-1-dakar-2018/",
    "countries": "/fr/pays/",
    "country": "/en/countries/sn/",
    "sectors": "/en/sectors/",
    "sector": "/fr/secteurs/digital-technology/",
    "search": "/fr/recherche/?q=senegal",
}
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
MAX_BYTES = 60 * 1024
MAX_REQUESTS = 10


@pytest.mark.parametrize("name", KEY_PAGES)
def test_no_serious_accessibility_violation(browser, site, name):
    # axe-core is injected as a script: let it past the page's Content-Security-Policy.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    assert page.goto(site + KEY_PAGES[name]).status == 200
    page.add_script_tag(path=str(AXE))
    serious = serious_violations(page)
    context.close()
    assert serious == []


def serious_violations(page):
    """axe-core's serious and critical findings on the page, once axe is injected."""
    # "Label in name" is experimental in axe, so off unless asked for: links whose visible
    # text is not in their accessible name fail speech users.
    result = page.evaluate("""async () => await axe.run(document, {
        runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                        "best-practice", "experimental"]}})""")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in result["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def test_nothing_breaks_the_content_security_policy(page, site):
    """The strict policy (ecosystem/project/middleware.py) holds on every key page, the admin and
    the API docs: no inline script or style anywhere."""
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    for path in [*KEY_PAGES.values(), "/admin/login/", "/api/v1/docs/"]:
        response = page.goto(site + path, wait_until="networkidle")
        assert response.status == 200
        assert "script-src 'self'" in response.headers["content-security-policy"]
    assert violations == []


@pytest.mark.parametrize("name", KEY_PAGES)
def test_first_load_is_light(browser, site, name):
    """What a first visit transfers, as compressed on the wire, and in how many requests;
    no request leaves the site."""
    transfers = first_load(browser, site + KEY_PAGES[name], VIEWPORTS["phone"])
    assert all(url.startswith(site) for url, _size in transfers), transfers
    assert len(transfers) <= MAX_REQUESTS
    assert sum(size for _url, size in transfers) <= MAX_BYTES, transfers


def test_pages_and_static_files_travel_compressed_with_long_caching(page, site):
    page.goto(site + "/en/")
    html = page.request.get(site + "/en/", headers={"Accept-Encoding": "gzip"})
    assert html.headers.get("content-encoding") == "gzip" or len(html.body()) < 2048
    stylesheet = page.locator("link[rel=stylesheet]").get_attribute("href")
    # A hashed name (site.<hash>.css) with a far-future, immutable cache lifetime.
    assert stylesheet.startswith("/static/css/site.") and stylesheet.count(".") == 2
    response = page.request.get(site + stylesheet, headers={"Accept-Encoding": "gzip"})
    assert "immutable" in response.headers["cache-control"]
    assert "max-age=315360000" in response.headers["cache-control"]
    assert response.headers.get("content-encoding") == "gzip"
    assert len(gzip.compress(response.body())) < 10 * 1024
