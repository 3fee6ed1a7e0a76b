from django.utils.translation import gettext_lazy as _

from ecosystem.core import cells, exports
from ecosystem.core.exports import Column
from events.models import EventKind, EventSeries, EventStatus
from programmes.models import Programme

COLUMNS = exports.shared_columns(
    head=[exports.NAME],
    own=[
        Column(
            _("Kind"),
            exports.display("kind", EventKind.choices),
            cells.put_choice("kind", EventKind.choices),
        ),
        exports.DATES,
        exports.START,
        exports.END,
        Column(_("City"), lambda event: event.city, cells.put_text("city")),
        Column(
            _("Country where held"),
            lambda event: event.country.name if event.country else "",
            cells.put_country("country"),
        ),
        Column(_("Venue"), lambda event: event.venue, cells.put_text("venue")),
        Column(
            _("Online"),
            lambda event: _("yes") if event.online else _("no"),
            cells.put_yes_no("online"),
        ),
        Column(
            _("Status"),
            exports.display("status", EventStatus.choices),
            cells.put_choice("status", EventStatus.choices),
        ),
        Column(
            _("Series"),
            lambda event: event.series.name if event.series else "",
            cells.put_related("series", EventSeries),
        ),
        Column(
            _("Programme"),
            lambda event: getattr(event.public_programme, "name", ""),
            cells.put_related("programme", Programme),
        ),
    ],
    related=[exports.ROLES],
)
