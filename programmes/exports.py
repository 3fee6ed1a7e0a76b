from django.utils.translation import gettext_lazy as _

from ecosystem.core import exports
from ecosystem.core.dates import iso_partial

COLUMNS = [
    exports.NAME,
    exports.ACRONYM,
    (_("Status"), lambda programme: programme.get_status_display()),
    (_("Dates"), lambda programme: programme.period),
    (_("Start"), lambda programme: iso_partial(programme.start, programme.start_precision)),
    (_("End"), lambda programme: iso_partial(programme.end, programme.end_precision)),
    (_("Part of"), lambda programme: getattr(programme.public_parent, "name", "")),
    exports.COUNTRIES,
    exports.COUNTRY_CODES,
    exports.SECTORS,
    (_("Roles"), exports.roles),
    (_("Budget"), lambda programme: programme.budget_amount or ""),
    (_("Budget currency"), lambda programme: programme.budget_currency),
    exports.SUMMARY,
    exports.WEBSITE,
    exports.SOURCES,
    exports.LAST_VERIFIED,
    exports.UPDATED,
]
