"""The seed file's programmes section, with their roles, sites and figures
(ecosystem.opendata.seeding runs it)."""

from ecosystem.core.models import Country
from members.models import Organization
from programmes.models import Indicator, Programme, ProgrammeRole, Site


def load_programme(loader, item):
    values, many = loader.publishable(item)
    values.update(loader.text(item, "objectives_en", "objectives_fr", "existence"))
    values.update(loader.dates(item, "start"))
    values.update(loader.dates(item, "end", end=True))
    budget = item.get("budget") or {}
    values.update(
        budget_amount=budget.get("amount"),
        budget_currency=budget.get("currency"),
        budget_qualifier=budget.get("qualifier"),
    )
    values["parent"] = loader.parent_if_loaded(Programme, item)
    values["dates_source"] = loader.fact_source(item, "dates_source", required=False)
    values["budget_source"] = loader.fact_source(budget, required=bool(budget))
    loader.save(
        Programme,
        {"slug": item["slug"]},
        values,
        many,
        children=lambda programme, created: load_rows(loader, programme, created, item),
    )


def load_rows(loader, programme, created, item):
    changed = loader.roles(ProgrammeRole, programme, created, item, "programmes")
    for site in item.get("sites") or []:
        loader.where = f"programmes {item['slug']!r} sites {site.get('name')!r}"
        values = loader.text(site, "city", "note_en", "note_fr", "status")
        values.update(loader.dates(site, "opened"))
        values.update(
            latitude=loader.decimal(site.get("latitude")),
            longitude=loader.decimal(site.get("longitude")),
        )
        values["host"] = loader.optional(Organization, site, "host")
        values["country"] = loader.lookup(Country, "country", site.get("country"), key="code")
        values["source"] = loader.fact_source(site)
        values["location_source"] = loader.fact_source(
            site, "location_source", required="latitude" in site
        )
        changed |= loader.child(
            created, Site, {"programme": programme, "name": site["name"]}, values
        )
    for indicator in item.get("indicators") or []:
        loader.where = f"programmes {item['slug']!r} indicators {indicator.get('label_en')!r}"
        values = loader.text(
            indicator,
            "label_fr",
            "unit_en",
            "unit_fr",
            "qualifier",
            "value_text_en",
            "value_text_fr",
        )
        values.update(loader.dates(indicator, "as_of"))
        values["value"] = loader.decimal(indicator.get("value"))
        values["source"] = loader.fact_source(indicator)
        lookup = {"programme": programme, "label_en": indicator["label_en"]}
        changed |= loader.child(created, Indicator, lookup, values)
    return changed


def link_parent(loader, item):
    loader.link_parent(Programme, item)
