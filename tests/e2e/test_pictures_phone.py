"""The pictures as a visitor sees them on a phone (390 px) and a desktop (1366 px): the
map's numbered markers neither overlap nor leave the drawing, the timeline fits its frame,
nothing is cut at the screen's right edge, and no list shows the same row twice. The
boxes are measured in the browser, as drawn, not read from the markup. The pages are
photographed into artifacts/screenshots/ (pictures-*.png) for people to look at.

One browser context per width walks the pages in turn; French addresses are read from
each English page's language switcher, never written here."""

import pytest

pytestmark = pytest.mark.e2e

WIDTHS = {390: {"width": 390, "height": 844}, 1366: {"width": 1366, "height": 900}}
# name: (English path, also in French)
PAGES = {
    "home": ("/en/", True),
    "hub-iit": ("/en/programmes/hub-iit/", False),
    "ntf-v": ("/en/programmes/ntf-v/", False),
    "mali": ("/en/countries/ml/", True),
    "search": ("/en/search/?q=hub", False),
}

# Everything measured in one evaluation: [problem, ...].
MEASURE = """() => {
    const problems = [];
    const overlap = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5
        && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
    const inside = (a, b) => a.left >= b.left - 0.5 && a.right <= b.right + 0.5
        && a.top >= b.top - 0.5 && a.bottom <= b.bottom + 0.5;
    const shown = (element) => element.getClientRects().length > 0;
    const describe = (element) => `<${element.tagName.toLowerCase()} class="${
        element.getAttribute("class") || ""}">`;

    // The map: each marker (its disc and number) clear of the others, inside the drawing.
    for (const map of document.querySelectorAll("svg.africa-map")) {
        if (!shown(map)) continue;
        const frame = map.getBoundingClientRect();
        // A marker with its number, or any other text drawn on the map (a label).
        const markers = [...map.querySelectorAll(".site-marker, text")]
            .filter((shape) => !shape.parentElement.closest(".site-marker"))
            .map((shape) => ({
                name: shape.querySelector("title")?.textContent ?? shape.textContent,
                box: shape.getBoundingClientRect(),
            }));
        for (const [i, a] of markers.entries()) {
            if (!inside(a.box, frame)) problems.push(`map: "${a.name}" leaves the map`);
            for (const b of markers.slice(i + 1))
                if (overlap(a.box, b.box)) problems.push(`map: "${a.name}" overlaps "${b.name}"`);
        }
    }

    // The timeline shown fits its frame: no scrolling, every year and name inside.
    for (const figure of document.querySelectorAll(".picture.timeline")) {
        const drawings = [...figure.querySelectorAll("svg")].filter(shown);
        if (drawings.length !== 1) problems.push(`timeline: ${drawings.length} drawings shown`);
        if (figure.scrollWidth > figure.clientWidth + 1)
            problems.push(`timeline: scrolls (${figure.scrollWidth} px in ${figure.clientWidth})`);
        for (const svg of drawings) {
            const frame = figure.getBoundingClientRect();
            const box = svg.getBoundingClientRect();
            if (!inside(box, frame)) problems.push("timeline: drawing wider than its frame");
            for (const text of svg.querySelectorAll("text")) {
                if (!inside(text.getBoundingClientRect(), box))
                    problems.push(`timeline: "${text.textContent}" leaves the drawing`);
            }
            const years = [...svg.querySelectorAll("text.year")]
                .map((year) => year.getBoundingClientRect());
            for (const [i, a] of years.entries())
                for (const b of years.slice(i + 1))
                    if (overlap(a, b)) problems.push("timeline: two years overlap");
            const today = svg.querySelector(".today").getBoundingClientRect();
            if (!inside(today, box)) problems.push("timeline: today is off the drawing");
        }
    }

    // Nothing cut at the right edge: no sideways scrolling of the page, and no element
    // clipped except inside a region that scrolls and says so (data-scrolls).
    const overflow = document.documentElement.scrollWidth - window.innerWidth;
    if (overflow > 0) problems.push(`page: scrolls sideways by ${overflow} px`);
    for (const element of document.querySelectorAll("main *")) {
        // A drawing clips its own shapes (a country beyond the frame): measured above.
        if (!shown(element) || element.parentElement.closest("svg")) continue;
        const box = element.getBoundingClientRect();
        if (box.width <= 1 || box.height <= 1) continue;  // visually hidden
        let inside = element.parentElement;  // or inside what is (a table's header row)
        while (inside && inside.getBoundingClientRect().width > 1) inside = inside.parentElement;
        if (inside) continue;
        if (box.right > window.innerWidth + 1 && !element.closest("[data-scrolls]"))
            problems.push(`page: ${describe(element)} ends at ${Math.round(box.right)} px`);
        const style = getComputedStyle(element);
        if (element.scrollWidth > element.clientWidth + 1 && element.clientWidth > 0
                && ["auto", "scroll"].includes(style.overflowX)
                && !element.hasAttribute("data-scrolls"))
            problems.push(`page: ${describe(element)} scrolls sideways with no sign of it`);
    }
    return problems;
}"""

# Rows of a list, a table or a definition list that say the same thing: a row is named
# by its text up to its first link (a site's name), or by that link when the row starts
# with it (an organization's name and address); notes ("[1]") are no link here.
DUPLICATES = """() => {
    const twice = [];
    const rows = (list) => {
        if (list.matches("table")) return [...list.querySelectorAll(":scope > tbody > tr")];
        if (list.matches("dl")) return [...list.children].filter((child) => child.matches("dd"));
        return [...list.children].filter((child) => child.matches("li"));
    };
    const name = (row, list) => {
        let text = "";
        const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
            const node = walker.currentNode;
            if (node.parentElement.closest("ul, ol, table, dl") !== list) continue;
            if (node.parentElement.closest(".phase")) continue;  // "(phase: …)" marks
            const link = node.parentElement.closest("a[href]");
            if (link && link.getAttribute("href").startsWith("#")) continue;
            if (link)
                return text.trim() || `${link.textContent.trim()} → ${link.getAttribute("href")}`;
            text += node.textContent;
        }
        return text.trim();
    };
    for (const list of document.querySelectorAll("main ul, main ol, main table, main dl")) {
        const seen = new Set();
        let group = "";
        for (const row of rows(list)) {
            const heading = row.previousElementSibling;
            if (heading && heading.matches("dt")) group = heading.textContent.trim();
            const key = name(row, list) && `${group}: ${name(row, list)}`;
            if (key && seen.has(key)) twice.push(key);
            seen.add(key);
        }
    }
    return twice;
}"""


@pytest.fixture(scope="module")
def walked(browser, site, artifacts):
    """Each page at each width, measured and photographed: {(name, width): (problems,
    duplicated rows, path)}. A French page is the one its English page's language
    switcher links to."""
    found = {}
    for width, viewport in WIDTHS.items():
        context = browser.new_context(viewport=viewport, locale="en-GB")
        page = context.new_page()
        for name, (path, in_french) in PAGES.items():
            for language in ("en", "fr") if in_french else ("en",):
                if language == "fr":
                    path = page.locator(".languages a[hreflang=fr]").get_attribute("href")
                    name = f"{name}-fr"
                response = page.goto(site + path.removeprefix(site))
                assert response.status == 200, path
                page.screenshot(
                    path=str(artifacts / f"pictures-{name}-{width}.png"), full_page=True
                )
                found[name, width] = (page.evaluate(MEASURE), page.evaluate(DUPLICATES), path)
        context.close()
    return found


def test_the_pictures_neither_overlap_nor_leave_the_screen(walked):
    problems = [
        f"{path} at {width} px: {problem}"
        for (name, width), (found, _twice, path) in walked.items()
        for problem in found
    ]
    assert problems == [], "\n".join(problems)


def test_the_map_and_timeline_are_measured_where_they_are_drawn(walked, browser, site):
    """The checks above see the pictures: the home page draws sites and a timeline."""
    context = browser.new_context(viewport=WIDTHS[390])
    page = context.new_page()
    page.goto(site + "/en/")
    assert page.locator("svg.africa-map .site-marker").count() >= 6
    assert page.locator(".map-key li").count() == page.locator(".site-marker").count()
    # On a phone, the names sit above the bars: the whole span fits, no sideways scroll.
    assert page.locator("svg.timeline-svg.narrow").is_visible()
    assert not page.locator("svg.timeline-svg.wide").is_visible()
    context.close()


def test_no_list_shows_a_row_twice(walked):
    twice = [
        f"{path} at {width} px: {row}"
        for (name, width), (_found, duplicates, path) in walked.items()
        for row in duplicates
    ]
    assert twice == [], "\n".join(twice)
