"""Pictures drawn on the server as SVG, with no script and no external request: the map
of Africa, the timeline of programmes and events, and the relationship graph of a
programme or an organization. Each function returns plain data (coordinates, labels,
links) that a template turns into SVG; the page beside it carries the text equivalent."""

import datetime
import json
import math
import textwrap
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ecosystem.core.listing import labelled
from ecosystem.core.search import fold

MAP_FILE = Path(__file__).resolve().parent / "africa-map.json"
SHADES = 5
# The map frames West and Central Africa, where the directory's records are: drawn
# whole, the continent left them a third of the width and their labels unreadable on a
# phone. Countries with records outside the frame are listed under the map.
FRAME = {"west": -18.0, "east": 25.0, "north": 24.0, "south": 0.0}
# ECOWAS, Mauritania, and ECCAS's members
# fmt: off
FRAMED = {
    "BJ", "BF", "CV", "CI", "GM", "GH", "GN", "GW", "LR", "ML", "NE", "NG", "SN", "SL", "TG",
    "MR", "AO", "BI", "CM", "CF", "TD", "CG", "CD", "GQ", "GA", "ST", "RW",
}
# fmt: on


@cache
def map_geometry():
    return json.loads(MAP_FILE.read_text())


@dataclass
class MapCountry:
    code: str
    path: str
    name: str = ""
    url: str = ""
    shade: int = 0
    description: str = ""


@dataclass
class MapSite:
    label: str
    place: str
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str


def africa_map(countries, sites, record_types):
    """`countries`: Country records annotated with record counts (with_record_counts);
    `sites`: Sites with coordinates; `record_types`: the registry's types. Drawn countries
    are shaded by how many records of the types `on_map` (programmes, organizations) they
    have, in SHADES steps of the largest drawn; every country with a record is linked, and
    listed in the text equivalent, drawn or not (Europe's)."""
    geometry = map_geometry()

    def weight(country):
        return sum(getattr(country, t.count_name) for t in record_types if t.on_map)

    def describe(shape, country):
        shape.name = country.name
        shape.url = country.get_absolute_url()
        counts = [t.count_text(getattr(country, t.count_name)) for t in record_types]
        shape.description = labelled(country.name, ", ".join(counts))
        return shape

    known = {country.code: country for country in countries if country.record_count}
    most = max((weight(known[code]) for code in geometry["countries"] if code in known), default=0)
    shapes = []
    for code, path in geometry["countries"].items():
        shape = MapCountry(code, path)
        country = known.get(code)
        if country is not None:
            describe(shape, country)
            shape.shade = math.ceil(weight(country) / most * (SHADES - 1)) if most else 0
        shapes.append(shape)
    elsewhere = [
        describe(MapCountry(code, ""), country)
        for code, country in known.items()
        if code not in geometry["countries"]
    ]
    outside = [shape for shape in shapes if shape.url and shape.code not in FRAMED] + elsewhere
    unique = {}
    for site in sorted(sites, key=lambda site: (site.longitude, site.latitude)):
        unique.setdefault((site.name, site.latitude, site.longitude), site)
    located = [
        (site, *project(float(site.longitude), float(site.latitude))) for site in unique.values()
    ]
    left, top = project(FRAME["west"], FRAME["north"])
    right, bottom = project(FRAME["east"], FRAME["south"])
    for _site, x, y in located:  # a site beyond the frame widens it
        left, top, right, bottom = (
            min(left, x - 40),
            min(top, y - 20),
            max(right, x + 40),
            max(bottom, y + 20),
        )
    # Boxes a label must not cover: every dot, then each label once placed.
    placed = [(x - 5, y - 5, x + 5, y + 5) for _site, x, y in located]
    points = []
    for site, x, y in located:
        label = site.city or site.name
        place = f"{site.name}, {site.country.name}"
        points.append(MapSite(label, place, x, y, *place_label(label, x, y, placed, left)))
    return {
        "x": left,
        "y": top,
        "width": round(right - left, 1),
        "height": round(bottom - top, 1),
        "outside": sorted(outside, key=lambda shape: fold(shape.name)),
        "countries": shapes,
        "listed": sorted(
            [shape for shape in shapes if shape.url] + elsewhere, key=lambda shape: fold(shape.name)
        ),
        "sites": points,
        "sites_only": not countries,
        "legend": legend(most),
    }


# SVG units at the map's largest label size (a phone's, in site.css): 16 units render
# at 12 px or more once the framed map shrinks to a 390 px screen.
LABEL_CHAR_WIDTH = 9.8
LABEL_HEIGHT = 17


def place_label(label, x, y, placed, frame_left=0):
    """Where a site's label goes: to the right of its dot, else to the left, else below
    or above, whichever overlaps no label already placed and stays in the frame.
    Returns (x, y, anchor)."""
    width = len(label) * LABEL_CHAR_WIDTH
    candidates = [
        (x + 7, y, "start", x + 7, x + 7 + width),
        (x - 7, y, "end", x - 7 - width, x - 7),
        (x + 7, y + LABEL_HEIGHT, "start", x + 7, x + 7 + width),
        (x + 7, y - LABEL_HEIGHT, "start", x + 7, x + 7 + width),
        # Crowded places (Dakar, Thiès, Diamniadio) push a label two lines away.
        (x - 7, y + LABEL_HEIGHT, "end", x - 7 - width, x - 7),
        (x - 7, y - LABEL_HEIGHT, "end", x - 7 - width, x - 7),
        (x + 7, y + 2 * LABEL_HEIGHT, "start", x + 7, x + 7 + width),
        (x + 7, y - 2 * LABEL_HEIGHT, "start", x + 7, x + 7 + width),
    ]
    for label_x, label_y, anchor, left, right in candidates:
        box = (left, label_y - LABEL_HEIGHT / 2, right, label_y + LABEL_HEIGHT / 2)
        if left >= frame_left and not any(overlaps(box, other) for other in placed):
            placed.append(box)
            return label_x, label_y, anchor
    return candidates[0][:3]


def overlaps(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def project(longitude, latitude):
    geometry = map_geometry()
    bounds = geometry["bounds"]
    return (
        round((longitude - bounds["west"]) * geometry["x_scale"], 1),
        round((bounds["north"] - latitude) * geometry["scale"], 1),
    )


def legend(most):
    """The records each shade stands for: [(shade, "1–3"), ...]."""
    if not most:
        return []
    steps = []
    low = 1
    for shade in range(1, SHADES):
        high = math.floor(most * shade / (SHADES - 1))
        if high >= low:
            steps.append((shade, f"{low}–{high}" if high > low else str(low)))
            low = high + 1
    return steps


# Timeline -----------------------------------------------------------------------------

LABEL_WIDTH = 230
BAR_WIDTH = 520
ROW_HEIGHT = 24
AXIS_HEIGHT = 24


@dataclass
class TimelineRow:
    label: str
    url: str
    period: str
    depth: int
    y: float
    x: float = 0
    width: float = 0
    open_ended: bool = False
    status: str = ""
    events: list = field(default_factory=list)

    @property
    def text_y(self):
        return self.y + 16

    @property
    def bar_y(self):
        return self.y + 5


@dataclass
class TimelinePoint:
    description: str
    url: str
    x: float
    y: float


def timeline(programmes, events=(), today=None):
    """Programmes with known dates as bars (phases under their parent), their events as
    points on their row and other events on a row of their own. A bar covers exactly
    the known period: "2018–2023" runs from January 2018 to December 2023."""
    today = today or timezone.localdate()
    dated = [p for p in programmes if p.start]
    if not dated:
        return None
    events = [e for e in events if e.start]
    first = min([p.start for p in dated] + [e.start for e in events])
    last = max([p.end or today for p in dated] + [e.end or e.start for e in events] + [today])
    start_year, end_year = first.year, last.year + 1
    span = (datetime.date(end_year, 1, 1) - datetime.date(start_year, 1, 1)).days

    def x_of(date):
        offset = (date - datetime.date(start_year, 1, 1)).days
        return round(LABEL_WIDTH + offset / span * BAR_WIDTH, 1)

    rows = []
    by_pk = {p.pk: p for p in dated}
    ordered = sorted(
        dated,
        key=lambda p: (
            (by_pk.get(p.parent_id) or p).start,
            (by_pk.get(p.parent_id) or p).pk,
            p.parent_id in by_pk,
            p.start,
        ),
    )
    row_of = {}
    for programme in ordered:
        y = AXIS_HEIGHT + len(rows) * ROW_HEIGHT
        end = programme.end or today
        row = TimelineRow(
            label=programme.short_name,
            url=programme.get_absolute_url(),
            period=labelled(programme.short_name, programme.period),
            depth=1 if programme.parent_id in by_pk else 0,
            y=y,
            x=x_of(programme.start),
            width=max(round(x_of(end + datetime.timedelta(days=1)) - x_of(programme.start), 1), 3),
            open_ended=programme.end is None,
            status=programme.status or "",
        )
        rows.append(row)
        row_of[programme.pk] = row
    loose = []
    for event in events:
        row = row_of.get(event.programme_id)
        # A dot stands in the middle of what is known: "2019" is not 1 January.
        middle = event.start + ((event.end or event.start) - event.start) / 2
        point = TimelinePoint(
            labelled(event.name, event.period), event.get_absolute_url(), x_of(middle), 0
        )
        if row:
            point.y = row.y + ROW_HEIGHT / 2
            row.events.append(point)
        else:
            loose.append(point)
    if loose:
        y = AXIS_HEIGHT + len(rows) * ROW_HEIGHT
        other = TimelineRow(_("Other events"), "", "", 0, y)
        for point in loose:
            point.y = y + ROW_HEIGHT / 2
        other.events = loose
        rows.append(other)
    years = list(range(start_year, end_year + 1))
    step = 1 if len(years) <= 12 else 2 if len(years) <= 24 else 5
    ticks = [(year, x_of(datetime.date(year, 1, 1))) for year in years if year % step == 0]
    height = AXIS_HEIGHT + len(rows) * ROW_HEIGHT + 4
    return {
        "rows": rows,
        "ticks": ticks,
        "today": x_of(today),
        "width": LABEL_WIDTH + BAR_WIDTH + 10,
        "height": height,
        "bottom": height - 2,
        "label_width": LABEL_WIDTH,
        "row_height": ROW_HEIGHT,
        "bar_height": ROW_HEIGHT - 10,
    }


# Relationship graph ---------------------------------------------------------------------

MAX_NODES = 10
# Boxes hold a role and up to two lines of name: a name under 40 characters is never
# cut. The ellipse is wide enough that neighbouring boxes at its top stay apart.
GRAPH_WIDTH = 680
GRAPH_HEIGHT = 400
NODE_WIDTH = 150
NODE_HEIGHT = 44
LINE_CHARACTERS = 21  # of a name at 11 units, in a 150-unit box


@dataclass
class GraphNode:
    label: str
    url: str
    x: float
    y: float
    role: str = ""
    role_label: str = ""
    half_width: float = NODE_WIDTH / 2

    @property
    def box_x(self):
        return self.x - self.half_width

    @property
    def box_y(self):
        return self.y - NODE_HEIGHT / 2

    @property
    def lines(self):
        """The name in at most two lines, each with its baseline."""
        width = LINE_CHARACTERS if self.half_width == NODE_WIDTH / 2 else LINE_CHARACTERS + 4
        lines = textwrap.wrap(self.label, width) or [""]
        if len(lines) > 2:
            lines = [lines[0], shorten(" ".join(lines[1:]), width)]
        if self.role_label:
            first = self.y + (4 if len(lines) == 2 else 10)
        else:
            first = self.y + (-3 if len(lines) == 2 else 4)
        return [(line, first + 13 * index) for index, line in enumerate(lines)]

    @property
    def role_y(self):
        return self.y - 9


def relationship_graph(centre, links):
    """`links`: [(record, role, role label)] around `centre`, placed on an ellipse and
    grouped by role, so that a funder's neighbours are funders. Past MAX_NODES the rest
    become one "N more" box: the page lists them all in words."""
    if not links:
        return None
    cx, cy = GRAPH_WIDTH / 2, GRAPH_HEIGHT / 2
    rx, ry = GRAPH_WIDTH / 2 - NODE_WIDTH / 2 - 6, GRAPH_HEIGHT / 2 - NODE_HEIGHT / 2 - 6
    boxes = sorted(
        (
            (record.short_name, record.get_absolute_url(), role, label)
            for record, role, label in links
        ),
        key=lambda box: (box[2], box[0]),
    )
    if len(boxes) > MAX_NODES:
        hidden = len(boxes) - MAX_NODES + 1
        more = ngettext("%(count)d more", "%(count)d more", hidden) % {"count": hidden}
        boxes = boxes[: MAX_NODES - 1] + [(more, "", "more", _("and"))]
    nodes = []
    for index, (name, url, role, role_label) in enumerate(boxes):
        angle = -math.pi / 2 + 2 * math.pi * index / len(boxes)
        x, y = cx + rx * math.cos(angle), cy + ry * math.sin(angle)
        nodes.append(GraphNode(str(name), url, round(x, 1), round(y, 1), role, role_label))
    return {
        "width": GRAPH_WIDTH,
        "height": GRAPH_HEIGHT,
        "centre": GraphNode(str(centre.short_name), "", cx, cy, half_width=85),
        "nodes": nodes,
        "node_width": NODE_WIDTH,
        "node_height": NODE_HEIGHT,
    }


def shorten(text, limit=20):
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
