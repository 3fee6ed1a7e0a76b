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
    """A site's dot, where it is, and its numbered marker: on the dot, or moved aside
    (with a leader line back to the dot) when the place is crowded. The number refers to
    the list under the map, which names the site: names never crowd the drawing."""

    number: int
    place: str
    x: float
    y: float
    marker_x: float
    marker_y: float

    @property
    def moved(self):
        return (self.marker_x, self.marker_y) != (self.x, self.y)

    @property
    def leader_end(self):
        """Where the leader line from the dot meets the marker's rim."""
        dx, dy = self.x - self.marker_x, self.y - self.marker_y
        length = math.hypot(dx, dy) or 1
        return (
            round(self.marker_x + dx / length * MARKER_RADIUS, 1),
            round(self.marker_y + dy / length * MARKER_RADIUS, 1),
        )


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
    margin = 3 * MARKER_RADIUS
    for _site, x, y in located:  # a site beyond the frame widens it
        left, top, right, bottom = (
            min(left, x - margin),
            min(top, y - margin),
            max(right, x + margin),
            max(bottom, y + margin),
        )
    markers = place_markers([(x, y) for _site, x, y in located], (left, top, right, bottom))
    points = [
        MapSite(number, f"{site.name}, {site.country.name}", x, y, *marker)
        for number, ((site, x, y), marker) in enumerate(zip(located, markers, strict=True), start=1)
    ]
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
        "marker_radius": MARKER_RADIUS,
        "dot_radius": DOT_RADIUS,
        "sites_only": not countries,
        "legend": legend(most),
    }


# A numbered marker, in SVG units: on a 390 px phone the framed map is drawn at about
# 0.85 px a unit, so its number (15 units there, site.css) still reads at 12 px.
MARKER_RADIUS = 11
MARKER_GAP = 2
DOT_RADIUS = 3
# Where a crowded marker may go, tried in this order: on its dot, then on rings around
# it, east first, then west, north, south and the diagonals.
DIRECTIONS = [0, 180, 270, 90, 315, 225, 45, 135, 340, 200, 20, 160]
RINGS = 6


def place_markers(dots, frame):
    """Each dot's marker centre, [(x, y)] in the dots' order: the first place, among the
    dot itself and rings around it, where the marker stays inside `frame` (left, top,
    right, bottom), clear of the markers, leader lines and dots already there.
    Deterministic: the same sites always give the same picture."""
    left, top, right, bottom = frame
    step = 2 * MARKER_RADIUS + MARKER_GAP
    # Only what lies within reach of a site's candidates can be in their way: looking no
    # further keeps a map of a hundred sites quick to draw.
    reach = RINGS * step + step

    def near(x, y, *points):
        return any(abs(px - x) <= reach and abs(py - y) <= reach for px, py in points) or (
            len(points) == 2  # a leader line crossing the window
            and min(points[0][0], points[1][0]) <= x + reach
            and max(points[0][0], points[1][0]) >= x - reach
            and min(points[0][1], points[1][1]) <= y + reach
            and max(points[0][1], points[1][1]) >= y - reach
        )

    def fits(mx, my, x, y, dots_near, placed_near):
        if not (
            left + MARKER_RADIUS <= mx <= right - MARKER_RADIUS
            and top + MARKER_RADIUS <= my <= bottom - MARKER_RADIUS
        ):
            return False
        if any(
            math.hypot(mx - other_x, my - other_y) < MARKER_RADIUS + DOT_RADIUS
            for other_x, other_y in dots_near
        ):
            return False  # a marker over another site's dot, placed or not yet
        for other_mx, other_my, other_x, other_y in placed_near:
            if max(abs(mx - other_mx), abs(my - other_my)) < step:
                return False  # two markers, measured as boxes (as a browser does)
            if (other_mx, other_my) != (other_x, other_y) and segment_distance(
                (mx, my), (other_x, other_y), (other_mx, other_my)
            ) < MARKER_RADIUS + 1:
                return False  # a marker over another's leader line
            if (
                (mx, my) != (x, y)
                and (other_mx, other_my) != (x, y)  # on the same spot: the leader starts there
                and segment_distance((other_mx, other_my), (x, y), (mx, my)) < MARKER_RADIUS + 1
            ):
                return False  # its leader line under another marker
        return True

    def candidates(x, y):
        yield x, y
        for ring in range(1, RINGS + 1):
            for degrees in DIRECTIONS:
                angle = math.radians(degrees)
                yield (
                    round(x + ring * step * math.cos(angle), 1),
                    round(y + ring * step * math.sin(angle), 1),
                )

    placed = []  # (marker x, marker y, dot x, dot y)
    result = []
    for x, y in dots:
        dots_near = [dot for dot in dots if dot != (x, y) and near(x, y, dot)]
        placed_near = [item for item in placed if near(x, y, item[:2], item[2:])]
        chosen = next(
            ((mx, my) for mx, my in candidates(x, y) if fits(mx, my, x, y, dots_near, placed_near)),
            (x, y),
        )
        placed.append((*chosen, x, y))
        result.append(chosen)
    return result


def segment_distance(point, start, end):
    """The distance from `point` to the segment from `start` to `end`."""
    (px, py), (ax, ay), (bx, by) = point, start, end
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    t = 0 if not length else max(0, min(1, ((px - ax) * dx + (py - ay) * dy) / length))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


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


@dataclass(frozen=True)
class TimelineShape:
    """One way to draw the timeline, in SVG units. A desktop's puts the names in a column
    left of the bars; a phone's puts each name on its own line above its bar, so that the
    whole span fits the screen's width with no sideways scrolling (site.css shows one)."""

    label_width: float  # the room left of the time axis
    bar_width: float  # the time axis
    row_height: float
    text_dy: float  # a name's baseline, from its row's top
    bar_dy: float  # a bar's top, from its row's top
    bar_height: float
    right: float
    label_characters: int  # a longer name is cut, with "…"


# The last year's label, centred on the end of the axis, needs 20 units on its right.
WIDE = TimelineShape(LABEL_WIDTH, BAR_WIDTH, ROW_HEIGHT, 16, 5, ROW_HEIGHT - 10, 20, 30)
# 360 units wide: a 358 px phone frame draws the 13-unit names at 13 px. Rows are as
# low as the names allow, so that a country's list still starts on a phone's first screen.
NARROW = TimelineShape(18, 324, 26, 12, 15, 8, 18, 44)
# The least room between two year labels ("2018" is about 28 units wide).
TICK_GAP = 40


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
    text_x: float = 4
    text_y: float = 0
    bar_y: float = 0


@dataclass
class TimelinePoint:
    description: str
    url: str
    x: float
    y: float


def timeline(programmes, events=(), today=None):
    """Programmes with known dates as bars (phases under their parent), their events as
    points on their row and other events on a row of their own. A bar covers exactly
    the known period: "2018–2023" runs from January 2018 to December 2023. Drawn twice,
    the same rows in both: wide, with a `narrow` drawing for phones inside."""
    today = today or timezone.localdate()
    dated = [p for p in programmes if p.start]
    if not dated:
        return None
    events = [e for e in events if e.start]
    first = min([p.start for p in dated] + [e.start for e in events])
    last = max([p.end or today for p in dated] + [e.end or e.start for e in events] + [today])
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
    on_row = {}
    loose = []
    for event in events:
        if event.programme_id in by_pk:
            on_row.setdefault(event.programme_id, []).append(event)
        else:
            loose.append(event)
    drawing = draw_timeline(WIDE, ordered, by_pk, on_row, loose, first, last, today)
    drawing["narrow"] = draw_timeline(NARROW, ordered, by_pk, on_row, loose, first, last, today)
    return drawing


def draw_timeline(shape, ordered, by_pk, on_row, loose, first, last, today):
    """The rows, ticks and today's line of one TimelineShape."""
    start_year, end_year = first.year, last.year + 1
    span = (datetime.date(end_year, 1, 1) - datetime.date(start_year, 1, 1)).days

    def x_of(date):
        offset = (date - datetime.date(start_year, 1, 1)).days
        return round(shape.label_width + offset / span * shape.bar_width, 1)

    def row_at(label, url="", period="", depth=0):
        y = AXIS_HEIGHT + len(rows) * shape.row_height
        return TimelineRow(
            label,
            url,
            period,
            depth,
            y,
            text_x=4 + 12 * depth,
            text_y=y + shape.text_dy,
            bar_y=y + shape.bar_dy,
        )

    def point(event, row):
        # A dot stands in the middle of what is known: "2019" is not 1 January.
        middle = event.start + ((event.end or event.start) - event.start) / 2
        return TimelinePoint(
            labelled(event.name, event.period),
            event.get_absolute_url(),
            x_of(middle),
            row.bar_y + shape.bar_height / 2,
        )

    rows = []
    for programme in ordered:
        end = programme.end or today
        row = row_at(
            programme.short_name,
            programme.get_absolute_url(),
            labelled(programme.short_name, programme.period),
            1 if programme.parent_id in by_pk else 0,
        )
        row.x = x_of(programme.start)
        row.width = max(round(x_of(end + datetime.timedelta(days=1)) - x_of(programme.start), 1), 3)
        row.open_ended = programme.end is None
        row.status = programme.status or ""
        row.events = [point(event, row) for event in on_row.get(programme.pk, [])]
        rows.append(row)
    if loose:
        other = row_at(_("Other events"))
        other.events = [point(event, other) for event in loose]
        rows.append(other)
    years = list(range(start_year, end_year + 1))
    per_year = shape.bar_width / (end_year - start_year)
    step = next((step for step in (1, 2, 5, 10) if step * per_year >= TICK_GAP), 20)
    ticks = [(year, x_of(datetime.date(year, 1, 1))) for year in years if year % step == 0]
    height = AXIS_HEIGHT + len(rows) * shape.row_height + 4
    # A tall drawing repeats the years under its last row.
    below = height + 16 if len(rows) > 12 else None
    return {
        "rows": rows,
        "ticks": ticks,
        "today": x_of(today),
        "width": shape.label_width + shape.bar_width + shape.right,
        "height": below + 4 if below else height,
        "bottom": height - 2,
        "years_below": below,
        "label_width": shape.label_width,
        "label_characters": shape.label_characters,
        "row_height": shape.row_height,
        "bar_height": shape.bar_height,
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
