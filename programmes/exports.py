from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from ecosystem.core import exports
from ecosystem.core.dates import iso_partial
from ecosystem.opendata import imports
from programmes.models import Programme

COLUMNS = [
    exports.NAME,
    exports.ACRONYM,
    (_("Status"), lambda programme: programme.get_status_display()),
    # As in the API: reported, derived_from_dates or verified.
    (_("Status basis"), lambda programme: programme.status_basis or ""),
    (_("Existence"), lambda programme: programme.existence),
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


def put_budget(row, text):
    try:
        amount = Decimal(text.replace(" ", "").replace("\u202f", "").replace(",", "."))
    except InvalidOperation as error:
        raise ValueError(_("an amount was expected, such as 71000000.")) from error
    imports.set_value(row, "budget_amount", amount)


# What the columns do when a file brings them back (ecosystem.opendata.imports).
IMPORT_CELLS = {
    "Start": imports.put_partial_date("start"),
    "End": imports.put_partial_date("end", end=True),
    "Part of": imports.put_related("parent", Programme),
    "Budget": imports.Cell(put_budget, ("budget_amount",)),
    "Budget currency": imports.put_text("budget_currency"),
}
