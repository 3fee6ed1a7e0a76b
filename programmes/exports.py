from django.utils.translation import gettext_lazy as _

from ecosystem import exports

COLUMNS = [
    exports.NAME,
    exports.ACRONYM,
    (_("Status"), lambda programme: programme.get_status_display()),
    (_("Dates"), lambda programme: programme.period),
    (_("Start"), lambda programme: programme.start or ""),
    (_("End"), lambda programme: programme.end or ""),
    (_("Part of"), lambda programme: getattr(programme.public_parent, "name", "")),
    exports.COUNTRIES,
    exports.COUNTRY_CODES,
    exports.SECTORS,
    (_("Roles"), exports.roles),
    (_("Budget"), lambda programme: programme.budget_amount or ""),
    (_("Budget currency"), lambda programme: programme.budget_currency),
    exports.SUMMARY,
    exports.WEBSITE,
    exports.UPDATED,
]
