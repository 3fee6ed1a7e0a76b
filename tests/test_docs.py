"""The documentation: a short README that links every file of docs/, and no relative link
(in the README or docs/) to a file or a heading that is not there. No network, no database."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = [ROOT / "README.md", *DOCS]
FENCE = re.compile(r"^\s*(```|~~~)")
# [text](target): the text may run over a line break; the target has no space.
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def outside_fences(text):
    """The lines of a Markdown text that are not inside a fenced code block."""
    lines, fenced = [], False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            lines.append(line)
    return lines


def slug(heading):
    """GitHub's anchor for a heading: lower case, punctuation but hyphens dropped,
    spaces made hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(path):
    """Every heading's anchor in a Markdown file (GitHub numbers repeats: x, x-1, x-2)."""
    found, seen = set(), {}
    for line in outside_fences(path.read_text(encoding="utf-8")):
        if match := re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line):
            base = slug(match[1])
            count = seen.get(base, 0)
            seen[base] = count + 1
            found.add(base if count == 0 else f"{base}-{count}")
    return found


def relative_links(path):
    """The targets of the links of a Markdown file that stay in the repository."""
    text = "\n".join(outside_fences(path.read_text(encoding="utf-8")))
    return [
        target
        for target in LINK.findall(text)
        if not re.match(r"(https?:|mailto:)", target, re.IGNORECASE)
    ]


def test_slugs_and_headings_follow_github():
    assert slug("Where this departs from DESIGN.md") == "where-this-departs-from-designmd"
    assert slug("Several servers behind a load balancer, read replicas") == (
        "several-servers-behind-a-load-balancer-read-replicas"
    )
    operations = anchors(ROOT / "docs" / "operations.md")
    assert {"operations", "load-test", "scheduling-and-keeping-copies"} <= operations
    # A shell comment in a code block is not a heading.
    assert "every-night-at-0230-keep-30-days" not in operations


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_points_to_a_file_and_a_heading(page):
    links = relative_links(page)
    broken = []
    for target in links:
        name, _, anchor = target.partition("#")
        file = (page.parent / name).resolve() if name else page
        if not file.exists():
            broken.append(f"{target}: no such file")
        elif anchor and file.suffix == ".md" and anchor not in anchors(file):
            broken.append(f"{target}: no such heading in {file.name}")
    assert not broken, f"{page.name}: {broken}"


def test_readme_is_short_and_links_every_doc():
    readme = ROOT / "README.md"
    assert len(readme.read_text(encoding="utf-8").splitlines()) <= 200
    linked = {(ROOT / t.partition("#")[0]).resolve() for t in relative_links(readme)}
    files = sorted(p for p in (ROOT / "docs").rglob("*") if p.is_file())
    assert files, "docs/ is empty"
    assert [f.name for f in files if f.resolve() not in linked] == []
    assert "docs/architecture.md#where-this-departs-from-designmd" in relative_links(readme)


def test_every_doc_starts_with_one_title():
    for doc in DOCS:
        lines = outside_fences(doc.read_text(encoding="utf-8"))
        titles = [line for line in lines if re.match(r"^# ", line)]
        assert lines[0].startswith("# ") and len(titles) == 1, doc.name
