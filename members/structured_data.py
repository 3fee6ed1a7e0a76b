from ecosystem.core.structured_data import area_served, common


def for_organization(organization, absolute_url):
    data = {**common(organization, absolute_url, "Organization"), **area_served(organization)}
    if organization.founded:
        data["foundingDate"] = str(organization.founded)
    if organization.hq_city or organization.hq_country:
        data["address"] = {
            "@type": "PostalAddress",
            "addressLocality": organization.hq_city,
            "addressCountry": organization.hq_country_id or "",
        }
    return data
