from django.utils.translation import gettext_lazy as _

from ecosystem.core import cells, exports
from ecosystem.core.dates import iso_partial
from ecosystem.core.exports import Column
from opportunities.models import OpportunityKind, Stage, Status
from programmes.models import Programme


def yes_no(attribute):
    return lambda record: _("yes") if getattr(record, attribute) else _("no")


def amount(attribute):
    return lambda record: "" if getattr(record, attribute) is None else getattr(record, attribute)


COLUMNS = exports.shared_columns(
    head=[exports.NAME],
    own=[
        Column(
            _("Kind"),
            exports.display("kind", OpportunityKind.choices),
            cells.put_choice("kind", OpportunityKind.choices),
        ),
        # As of the export's moment; the dates below are what an import reads back.
        Column(_("Status"), lambda record: Status(record.status).label),
        Column(
            _("Opens"),
            lambda record: iso_partial(record.opens, record.opens_precision),
            cells.put_partial_date("opens"),
        ),
        Column(
            _("Deadline"),
            lambda record: iso_partial(record.deadline, record.deadline_precision),
            cells.put_partial_date("deadline", end=True),
        ),
        Column(
            _("Deadline time"),
            lambda record: f"{record.deadline_time:%H:%M}" if record.deadline_time else "",
        ),
        Column(_("Time zone"), lambda record: record.time_zone, cells.put_text("time_zone")),
        Column(_("Rolling"), yes_no("rolling"), cells.put_yes_no("rolling")),
        Column(
            _("From stage"),
            exports.display("stage_from", Stage.choices),
        ),
        Column(
            _("To stage"),
            exports.display("stage_to", Stage.choices),
        ),
        Column(_("Open to SMEs"), yes_no("for_smes"), cells.put_yes_no("for_smes")),
        Column(_("Open to startups"), yes_no("for_startups"), cells.put_yes_no("for_startups")),
        Column(
            _("Open to associations"),
            yes_no("for_associations"),
            cells.put_yes_no("for_associations"),
        ),
        Column(
            _("Women-led companies only"),
            yes_no("women_led_only"),
            cells.put_yes_no("women_led_only"),
        ),
        Column(_("Amount from"), amount("amount_min"), cells.put_integer("amount_min")),
        Column(_("Amount up to"), amount("amount_max"), cells.put_integer("amount_max")),
        Column(_("Currency"), lambda record: record.currency, cells.put_text("currency")),
        Column(
            _("What it gives"),
            lambda record: record.benefits,
            cells.put_text("benefits", translated=True),
        ),
        Column(_("Where to apply"), lambda record: record.apply_url, cells.put_text("apply_url")),
        Column(_("Contact"), lambda record: record.contact, cells.put_text("contact")),
        Column(
            _("Programme"),
            lambda record: getattr(record.public_programme, "name", ""),
            cells.put_related("programme", Programme),
        ),
    ],
    related=[exports.ROLES],
)
