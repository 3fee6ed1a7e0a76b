"""The design at a phone's, a tablet's and a desktop's width, in both languages: every key
page is photographed (artifacts/screenshots/, for people to look at), nothing scrolls
sideways, the pictures' text renders at 12 px at least, controls are big enough for a
thumb, and on a phone the first result shows on the first screen. One browser page per
width and language walks every page in turn."""

import re

import pytest

from tests.e2e.server import ADMIN_PASSWORD
from tests.e2e.test_quality import AXE, serious_violations
from tests.helpers import in_language

pytestmark = pytest.mark.e2e

WIDTHS = {
    "390": {"width": 390, "height": 844},
    "768": {"width": 768, "height": 1024},
    "1366": {"width": 1366, "height": 900},
}
PHONE = "390"
# Screenshots at the phone's and the desktop's width; the tablet's width is checked only.
PHOTOGRAPHED = {"390", "1366"}
# Pages whose first result must show on a phone's first screen (the SMEs list is empty
# in the seed data: it shows its empty state instead).
PAGES = {
    "home": ("/{lang}/", False),
    "programmes": ("/{lang}/programmes/", True),
    "programmes-filtered": ("/{lang}/programmes/?country=ML&sector=digital-technology", True),
    "organizations": ("/{lang}/organizations/", True),
    "smes": ("/{lang}/smes/", False),
    "events": ("/{lang}/events/", True),
    "series-list": ("/{lang}/series/", True),
    "programme": ("/{lang}/programmes/hub-iit-deployment/", False),
    "organization": ("/{lang}/organizations/optic/", False),
    "event": ("/{lang}/events/it-bpo-sector-consultation-1-dakar-2018/", False),
    "series": ("/{lang}/series/sipen/", False),
    "countries": ("/{lang}/countries/", False),
    "country": ("/{lang}/countries/sn/", True),
    "sectors": ("/{lang}/sectors/", False),
    "sector": ("/{lang}/sectors/digital-technology/", True),
    "search": ("/{lang}/search/?q=senegal", True),
    "admin": ("/admin/", False),
}
# What a thumb presses: buttons, fields, the filter control and options, navigation,
# filter chips, page links.
CONTROLS = (
    "button, input[type=search], input[type=text], select, summary, .option, .site-nav a, "
    ".languages a, .chips a, .pagination a"
)
MEASURE = """(selector) => {
    const small = [];
    for (const element of document.querySelectorAll(selector)) {
        const box = element.getBoundingClientRect();
        const text = element.textContent.trim().slice(0, 30);
        if (box.width && box.height && box.height < 44)
            small.push(`${element.tagName} "${text}" ${Math.round(box.height)}px`);
    }
    // The pictures' text as rendered: its size in SVG units times the drawing's scale.
    const tiny = [];
    for (const text of document.querySelectorAll(".picture svg text")) {
        const matrix = text.getScreenCTM();
        if (!matrix || !text.getBBox().width) continue;
        const size = parseFloat(getComputedStyle(text).fontSize) * matrix.a;
        if (size < 11.95) tiny.push(`"${text.textContent.slice(0, 20)}" ${size.toFixed(1)}px`);
    }
    return {small, tiny, overflow: document.documentElement.scrollWidth - window.innerWidth};
}"""


def log_in(page, site):
    page.goto(site + "/admin/login/")
    page.locator("input[name=username]").fill("staff")
    page.locator("input[name=password]").fill(ADMIN_PASSWORD)
    page.locator("[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("width", WIDTHS)
def test_key_pages_at_each_width(browser, site, artifacts, width, lang):
    # axe-core is injected as a script: let it past the page's policy, which
    # test_quality.py checks on its own.
    context = browser.new_context(viewport=WIDTHS[width], locale=f"{lang}-SN", bypass_csp=True)
    page = context.new_page()
    log_in(page, site)
    problems = []
    for name, (path, has_results) in PAGES.items():
        path = in_language(path.format(lang="en"), lang)
        response = page.goto(site + path)
        assert response.status == 200, path
        if name == "admin":
            assert page.locator("html").get_attribute("lang") == lang
        if width in PHOTOGRAPHED:
            page.screenshot(path=str(artifacts / f"{name}-{lang}-{width}.png"), full_page=True)
        measured = page.evaluate(MEASURE, CONTROLS if name != "admin" else "#nothing")
        if measured["overflow"] > 0:
            problems.append(f"{path}: scrolls sideways by {measured['overflow']} px")
        if measured["tiny"]:
            problems.append(f"{path}: picture text under 12 px: {measured['tiny'][:3]}")
        if width == PHONE and measured["small"]:
            problems.append(f"{path}: controls under 44 px: {measured['small'][:3]}")
        # On a phone, in French (test_quality.py runs axe on a desktop in both languages).
        if width == PHONE and lang == "fr" and name != "admin":
            page.add_script_tag(path=str(AXE))
            problems += [f"{path}: {violation}" for violation in serious_violations(page)]
        if width == PHONE and has_results:
            heading = page.locator(".records .record h3").first.bounding_box()
            if heading["y"] + heading["height"] > WIDTHS[PHONE]["height"]:
                problems.append(f"{path}: the first result starts at {heading['y']:.0f} px")
    context.close()
    assert problems == []


def test_on_a_phone_the_filters_wait_behind_a_button_that_counts_them(browser, site):
    context = browser.new_context(viewport=WIDTHS[PHONE])
    page = context.new_page()
    page.goto(site + "/en/programmes/?country=ML&sector=digital-technology")
    toggle = page.locator(".filter-panel > summary")
    assert toggle.inner_text() == "Filter (2 active)"
    assert not page.get_by_role("group", name="Country").is_visible()
    toggle.click()
    # Open, the filters lie over the results rather than pushing them down.
    assert page.get_by_role("group", name="Country").get_by_label("Mali").is_checked()
    first = page.locator(".records .record").first.bounding_box()
    filters = page.locator("form.filters").bounding_box()
    assert filters["y"] < first["y"] < filters["y"] + filters["height"]
    context.close()


def test_on_a_phone_the_sites_table_becomes_labelled_cards(browser, site):
    context = browser.new_context(viewport=WIDTHS[PHONE], locale="fr-SN")
    page = context.new_page()
    page.goto(site + "/fr/programmes/hub-iit-deployment/")
    # Seven sites: on a phone the table waits behind its summary, which opens it.
    fold = page.locator("details.fold:has(table.stack) > summary")
    assert fold.inner_text() == "Les 7 sites"
    assert not page.locator("table.stack").is_visible()
    fold.click()
    cell = page.locator("table.stack tbody tr").first.locator("td").nth(1)
    label = cell.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == '"Lieu"'
    # The column heads stay for screen readers, out of sight.
    assert page.locator("table.stack thead").bounding_box()["height"] <= 1
    context.close()


def test_on_a_phone_the_umbrella_page_is_short_and_a_wide_screen_shows_it_whole(browser, site):
    """HUB-IIT's page rolls up its phases and folds its long lists on a phone (6,882 px
    tall before, each organization and site once per phase); on a wide screen the
    folded lists show whole, their summaries hidden."""
    context = browser.new_context(viewport=WIDTHS[PHONE])
    page = context.new_page()
    page.goto(site + "/en/programmes/hub-iit/")
    assert page.evaluate("document.documentElement.scrollHeight") < 4500
    assert page.locator("details.fold > summary").first.is_visible()
    assert not page.locator("ul.involved").is_visible()
    context.close()
    context = browser.new_context(viewport=WIDTHS["1366"])
    page = context.new_page()
    page.goto(site + "/en/programmes/hub-iit/")
    assert page.locator("ul.involved").is_visible() and page.locator("table.stack").is_visible()
    assert not page.locator("details.fold > summary").first.is_visible()
    context.close()
