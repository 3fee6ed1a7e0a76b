"""The timeline of programmes and events: a bar per programme over its period, its
events on it, in a desktop's shape and a phone's. Plain data for the template's SVG."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from ecosystem.core.listing import labelled

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


def svg(drawing, variant):
    """One drawing as SVG markup (safe), as the template engine would write it but in
    a few ms: a list's timeline holds hundreds of events, each a link with its title."""
    title = escape(_("Timeline of the programmes and their phases, with events as dots"))
    parts = [
        f'<svg viewBox="0 0 {drawing["width"]} {drawing["height"]}" role="group" '
        f'aria-labelledby="timeline-title-{variant}" class="timeline-svg {variant}">\n'
        f'    <title id="timeline-title-{variant}">{title}</title>\n    '
    ]
    top, bottom, below = 16, drawing["bottom"], drawing["years_below"]
    for year, x in drawing["ticks"]:
        parts.append(
            f'<line class="tick" x1="{x}" x2="{x}" y1="{top}" y2="{bottom}"/>'
            f'<text class="year" x="{x}" y="12" text-anchor="middle">{year}</text>'
        )
        if below:
            parts.append(
                f'<text class="year" x="{x}" y="{below}" text-anchor="middle">{year}</text>'
            )
    today, today_title = drawing["today"], escape(_("today"))
    parts.append(
        f'\n    <line class="today" x1="{today}" x2="{today}" y1="{top}" y2="{bottom}">'
        f"<title>{today_title}</title></line>\n    "
    )
    for row in drawing["rows"]:
        parts.append(f'<g class="row depth-{row.depth}">\n      ')
        if row.url:
            label = escape(Truncator(row.label).chars(drawing["label_characters"]))
            parts.append(
                f'<a href="{escape(row.url)}"><text class="label" x="{row.text_x}" '
                f'y="{row.text_y}">{label}</text>'
            )
            if row.width:
                open_ended = " open-ended" if row.open_ended else ""
                parts.append(
                    f'<rect class="bar status-{row.status or "unknown"}{open_ended}" '
                    f'x="{row.x}" y="{row.bar_y}" width="{row.width}" '
                    f'height="{drawing["bar_height"]}" rx="3"><title>{escape(row.period)}'
                    "</title></rect>"
                )
            parts.append("</a>\n      ")
        else:
            parts.append(
                f'<text class="label" x="{row.text_x}" y="{row.text_y}">{escape(row.label)}'
                "</text>\n      "
            )
        parts.append("\n      ")
        for point in row.events:
            description = escape(point.description)
            parts.append(
                f'<a href="{escape(point.url)}" aria-label="{description}"><circle '
                f'class="event" cx="{point.x}" cy="{point.y}" r="5"><title>{description}'
                "</title></circle></a>"
            )
        parts.append("\n    </g>")
    parts.append("\n  </svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
