from django.utils.translation import gettext_lazy as _

from ecosystem.core import exports
from ecosystem.core.dates import iso_partial
from ecosystem.opendata import imports
from events.models import EventKind, EventSeries, EventStatus
from programmes.models import Programme

COLUMNS = [
    exports.NAME,
    exports.ACRONYM,
    exports.COUNTRIES,
    exports.COUNTRY_CODES,
    exports.SECTORS,
    (_("Roles"), exports.roles),
    exports.SUMMARY,
    exports.WEBSITE,
    exports.SOURCES,
    exports.LAST_VERIFIED,
    exports.UPDATED,
]

COLUMNS = [
    exports.NAME,
    (_("Kind"), exports.display("kind", EventKind.choices)),
    (_("Dates"), lambda event: event.period),
    (_("Start"), lambda event: iso_partial(event.start, event.start_precision)),
    (_("End"), lambda event: iso_partial(event.end, event.end_precision)),
    (_("City"), lambda event: event.city),
    (_("Country where held"), lambda event: event.country.name if event.country else ""),
    (_("Venue"), lambda event: event.venue),
    (_("Online"), lambda event: _("yes") if event.online else _("no")),
    (_("Status"), exports.display("status", EventStatus.choices)),
    (_("Series"), lambda event: event.series.name if event.series else ""),
    (_("Programme"), lambda event: getattr(event.public_programme, "name", "")),
    exports.COUNTRIES,
    exports.COUNTRY_CODES,
    exports.SECTORS,
    (_("Roles"), exports.roles),
    exports.SUMMARY,
    exports.WEBSITE,
    exports.SOURCES,
    exports.LAST_VERIFIED,
    exports.UPDATED,
]

# What the columns do when a file brings them back (ecosystem.opendata.imports).
IMPORT_CELLS = {
    "Kind": imports.put_choice("kind", EventKind.choices),
    "Start": imports.put_partial_date("start"),
    "End": imports.put_partial_date("end", end=True),
    "City": imports.put_text("city"),
    "Country where held": imports.put_country("country"),
    "Venue": imports.put_text("venue"),
    "Online": imports.put_yes_no("online"),
    "Status": imports.put_choice("status", EventStatus.choices),
    "Series": imports.put_related("series", EventSeries),
    "Programme": imports.put_related("programme", Programme),
}
