from ecosystem.core.structured_data import area_served, common


def for_organization(organization, absolute_url):
    data = {**common(organization, absolute_url, "Organization"), **area_served(organization)}
    if organization.founded:
        data["foundingDate"] = str(organization.founded)
    if organization.hq_city or organization.hq_country or organization.address:
        data["address"] = {
            "@type": "PostalAddress",
            "streetAddress": organization.address,
            "addressLocality": organization.hq_city,
            "addressCountry": organization.hq_country_id or "",
        }
    if organization.logo:
        data["logo"] = absolute_url(organization.logo_large)
    if organization.email:
        data["email"] = organization.email
    if organization.phone:
        data["telephone"] = organization.phone
    profiles = [
        link for link in (organization.linkedin, organization.x, organization.facebook) if link
    ]
    if profiles:
        data["sameAs"] = [*filter(None, [organization.website]), *profiles]
    return data
