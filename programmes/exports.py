from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from ecosystem.core import cells, exports
from ecosystem.core.exports import Column
from programmes.models import Programme


def put_budget(row, text):
    try:
        amount = Decimal(text.replace(" ", "").replace("\u202f", "").replace(",", "."))
    except InvalidOperation as error:
        raise ValueError(_("an amount was expected, such as 71000000.")) from error
    cells.set_value(row, "budget_amount", amount)


COLUMNS = exports.shared_columns(
    own=[
        # As of the programme's latest source (Publishable.as_of): it reads the sources.
        Column(_("Status"), lambda programme: programme.get_status_display(), lists=("sources",)),
        # As in the API: reported, derived_from_dates or verified.
        Column(_("Status basis"), lambda programme: programme.status_basis or ""),
        Column(_("Existence"), lambda programme: programme.existence),
        exports.DATES,
        exports.START,
        exports.END,
        Column(
            _("Part of"),
            lambda programme: getattr(programme.public_parent, "name", ""),
            cells.put_related("parent", Programme),
        ),
    ],
    related=[
        exports.ROLES,
        Column(
            _("Budget"),
            lambda programme: programme.budget_amount or "",
            cells.Cell(put_budget, ("budget_amount",)),
        ),
        Column(
            _("Budget currency"),
            lambda programme: programme.budget_currency,
            cells.put_text("budget_currency"),
        ),
    ],
)
