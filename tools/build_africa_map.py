"""Build ecosystem/pictures/africa-map.json from Natural Earth (public domain) as packaged
by the npm package world-atlas: the African countries' outlines, simplified and projected
to SVG path data, keyed by ISO 3166-1 alpha-2 code. Run once when the geometry should
change; the output is committed, so the site needs neither npm nor the network.

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    DEBUG=1 .venv/bin/python tools/build_africa_map.py package/countries-50m.json
"""

import json
import math
import sys
from pathlib import Path

from django.conf import settings

settings.configure(USE_I18N=False)  # django-countries' ISO data needs no project
from django_countries import countries  # noqa: E402

AFRICA = [
    "DZ",
    "AO",
    "BJ",
    "BW",
    "BF",
    "BI",
    "CV",
    "CM",
    "CF",
    "TD",
    "KM",
    "CD",
    "CG",
    "CI",
    "DJ",
    "EG",
    "GQ",
    "ER",
    "SZ",
    "ET",
    "GA",
    "GM",
    "GH",
    "GN",
    "GW",
    "KE",
    "LS",
    "LR",
    "LY",
    "MG",
    "MW",
    "ML",
    "MR",
    "MU",
    "MA",
    "MZ",
    "NA",
    "NE",
    "NG",
    "RW",
    "ST",
    "SN",
    "SC",
    "SL",
    "SO",
    "ZA",
    "SS",
    "SD",
    "TZ",
    "TG",
    "TN",
    "UG",
    "EH",
    "ZM",
    "ZW",
]
# Longitude and latitude bounds drawn; a plain equirectangular projection, corrected for
# the latitude of West Africa so that shapes are not stretched there.
# West and Central Africa in full, with the Maghreb and the East African countries that
# programmes here also cover (Ethiopia, Uganda).
WEST, EAST, SOUTH, NORTH = -26.0, 52.0, -13.0, 38.0
SCALE = 10.0  # SVG units per degree of latitude
X_SCALE = SCALE * math.cos(math.radians(12))
TOLERANCE = 0.08  # degrees; Douglas-Peucker simplification


def project(lon, lat):
    return round((lon - WEST) * X_SCALE, 1), round((NORTH - lat) * SCALE, 1)


def decode_arcs(topology):
    scale, translate = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        arcs.append(points)
    return arcs


def ring(arcs, indices):
    points = []
    for index in indices:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def simplify(points, tolerance):
    if len(points) < 4:
        return points
    start, end = points[0], points[-1]
    best, index = 0.0, 0
    for i in range(1, len(points) - 1):
        distance = perpendicular(points[i], start, end)
        if distance > best:
            best, index = distance, i
    if best <= tolerance:
        return [start, end]
    return simplify(points[: index + 1], tolerance)[:-1] + simplify(points[index:], tolerance)


def perpendicular(point, start, end):
    (x, y), (x1, y1), (x2, y2) = point, start, end
    if (x1, y1) == (x2, y2):
        return math.hypot(x - x1, y - y1)
    return abs((y2 - y1) * x - (x2 - x1) * y + x2 * y1 - y2 * x1) / math.hypot(x2 - x1, y2 - y1)


def path(polygons):
    parts = []
    for polygon in polygons:
        for points in polygon:
            simple = simplify(points, TOLERANCE)
            if len(simple) < 4:
                continue
            xy = [project(*point) for point in simple]
            parts.append("M" + "L".join(f"{x:g} {y:g}" for x, y in xy) + "Z")
    return "".join(parts)


def main(source):
    topology = json.loads(Path(source).read_text())
    arcs = decode_arcs(topology)
    numeric_to_alpha2 = {
        str(countries.numeric(code)).zfill(3): code for code in AFRICA if countries.numeric(code)
    }
    numeric_to_alpha2["732"] = "EH"
    shapes = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = numeric_to_alpha2.get(str(geometry.get("id", "")).zfill(3))
        if not code:
            continue
        if geometry["type"] == "Polygon":
            polygons = [[ring(arcs, r) for r in geometry["arcs"]]]
        else:
            polygons = [[ring(arcs, r) for r in polygon] for polygon in geometry["arcs"]]
        points = [point for polygon in polygons for r in polygon for point in r]
        if not any(WEST <= lon <= EAST and SOUTH <= lat <= NORTH for lon, lat in points):
            continue  # entirely outside the frame
        shapes[code] = path(polygons)
    output = {
        "source": "Natural Earth 1:50m via world-atlas 2.0.2 (public domain)",
        "bounds": {"west": WEST, "east": EAST, "south": SOUTH, "north": NORTH},
        "scale": SCALE,
        "x_scale": X_SCALE,
        "width": round((EAST - WEST) * X_SCALE),
        "height": round((NORTH - SOUTH) * SCALE),
        "countries": dict(sorted(shapes.items())),
    }
    target = Path(__file__).resolve().parent.parent / "ecosystem" / "pictures" / "africa-map.json"
    target.write_text(json.dumps(output, separators=(",", ":")))
    print(
        f"{len(shapes)} countries drawn, {target.stat().st_size} bytes; "
        f"outside the frame: {sorted(set(AFRICA) - set(shapes))}"
    )


if __name__ == "__main__":
    main(sys.argv[1])
