"""Pictures drawn on the server as SVG, with no script and no external request, one
module each:

- map.py: the map of Africa, its shades and its numbered site markers;
- timeline.py: the timeline of programmes and events;
- graph.py: the relationship graph of a programme or an organization.

Each function returns plain data (coordinates, labels, links) that a template turns into
SVG; the page beside it carries the text equivalent."""
