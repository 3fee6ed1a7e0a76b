"""Citation links are targets a finger can press: on a phone (390 px), every note number
on a programme's page is at least 24 × 24 px (WCAG 2.5.8, Lighthouse's target-size),
and the notes do not push the lines of their text apart."""

import pytest

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
TARGET = 24
# Pages whose facts carry notes: the umbrella programme (dates, roles, sites, figures)
# and one of its phases.
PAGES = ["/{lang}/programmes/hub-iit-deployment/", "/{lang}/programmes/ntf-v/"]

MEASURE = """(target) => {
    const small = [];
    const links = [...document.querySelectorAll("sup.note a")];
    const others = [...document.querySelectorAll("a[href], button, input, select, summary")]
        .filter((element) => element.offsetParent !== null)
        .map((element) => [element, element.getBoundingClientRect()]);
    links.forEach((link) => {
        const box = link.getBoundingClientRect();
        if (box.width >= target && box.height >= target) return;
        // WCAG's spacing exception: a 24 px circle centred on the target intersects no
        // other target, nor the circle of another small target.
        const [x, y] = [box.left + box.width / 2, box.top + box.height / 2];
        const spaced = others.every(([other, rect]) => {
            if (other === link) return true;
            const dx = Math.max(rect.left - x, 0, x - rect.right);
            const dy = Math.max(rect.top - y, 0, y - rect.bottom);
            return Math.hypot(dx, dy) >= target / 2;
        });
        if (!spaced)
            small.push(`${link.textContent} ${box.width.toFixed(1)}x${box.height.toFixed(1)}`);
    });
    return {count: links.length, small};
}"""

# The lines of a block that holds notes are as far apart as its line-height says: the
# notes' larger boxes give their room back.
LINES = """() => {
    const pushed = [];
    const blocks = new Set(
        [...document.querySelectorAll("sup.note")].map(
            (note) => note.closest("p, li, dd, td, div")
        )
    );
    for (const block of blocks) {
        const step = parseFloat(getComputedStyle(block).lineHeight);
        if (!step) continue;
        const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
        const tops = [];
        while (walker.nextNode()) {
            const node = walker.currentNode;
            if (node.parentElement.closest(".note, small, br") || !node.textContent.trim())
                continue;
            const range = document.createRange();
            range.selectNodeContents(node);
            for (const rect of range.getClientRects())
                if (rect.width) tops.push(Math.round(rect.top));
        }
        const lines = [...new Set(tops)].sort((a, b) => a - b);
        for (let i = 1; i < lines.length; i++) {
            const gap = lines[i] - lines[i - 1];
            if (gap > step + 1.5 && gap < 2 * step - 1.5)
                pushed.push(`"${block.textContent.trim().slice(0, 40)}": ${gap}px, not ${step}px`);
        }
    }
    return pushed;
}"""


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("path", PAGES)
def test_citation_links_are_24_px_targets_on_a_phone(site, browser, language, path):
    context = browser.new_context(viewport=PHONE, locale="fr-FR" if language == "fr" else "en-GB")
    page = context.new_page()
    try:
        response = page.goto(site + path.format(lang=language))
        assert response.status == 200
        measured = page.evaluate(MEASURE, TARGET)
        assert measured["count"] > 0, "no citation on the page: the test measures nothing"
        assert measured["small"] == []
        assert page.evaluate(LINES) == []
    finally:
        context.close()
