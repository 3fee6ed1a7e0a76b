"""schema.org JSON-LD, what every record's description shares; each record type builds
its own (ecosystem.core.registry, `json_ld`) so that search engines and link previews
read what a page is about."""


def organization_reference(organization, absolute_url):
    return {
        "@type": "Organization",
        "name": organization.name,
        "url": absolute_url(organization.get_absolute_url()),
    }


def common(record, absolute_url, schema_type):
    data = {
        "@context": "https://schema.org",
        "@type": schema_type,
        "name": record.name,
        "url": absolute_url(record.get_absolute_url()),
    }
    if record.acronym:
        data["alternateName"] = record.acronym
    if record.summary:
        data["description"] = record.summary
    if record.website:
        data["sameAs"] = record.website
    return data


def area_served(record):
    """Organizations and projects serve areas (events do not, in schema.org)."""
    countries = [country.name for country in record.countries.all()]
    return {"areaServed": [{"@type": "Country", "name": n} for n in countries]} if countries else {}
