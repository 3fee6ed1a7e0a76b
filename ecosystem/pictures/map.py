"""The map of Africa, framed on West and Central Africa: each country shaded by its
records, each site a numbered marker placed clear of the others. Plain data for the
template's SVG (africa-map.json holds the shapes: tools/build_africa_map.py)."""

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

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
