"""The relationship graph of a programme or an organization: its partners in boxes on
an ellipse around it, grouped by role. Plain data for the template's SVG."""

import math
import textwrap
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
