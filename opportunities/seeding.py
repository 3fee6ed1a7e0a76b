"""The seed file's opportunities section (ecosystem.opendata.seeding runs it)."""

from opportunities.models import Opportunity, OpportunityRole
from programmes.models import Programme

TEXT = ["kind", "benefits_en", "benefits_fr", "apply_url", "contact", "currency", "time_zone"]
NUMBERS = ["stage_from", "stage_to", "amount_min", "amount_max"]
FLAGS = ["rolling", "for_smes", "for_startups", "for_associations", "women_led_only"]


def load(loader, item):
    values, many = loader.publishable(item)
    values.update({name: item[name] for name in TEXT + NUMBERS if name in item})
    values.update({name: bool(item[name]) for name in FLAGS if name in item})
    values.update(loader.dates(item, "opens"))
    values.update(loader.dates(item, "deadline", end=True))
    values["programme"] = loader.optional(Programme, item, "programme")
    values["dates_source"] = loader.fact_source(item, "dates_source", required=False)
    loader.save(
        Opportunity,
        {"slug": item["slug"]},
        values,
        many,
        children=lambda opportunity, created: loader.roles(
            OpportunityRole, opportunity, created, item, "opportunities"
        ),
    )
