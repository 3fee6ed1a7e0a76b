from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ecosystem.core import exports
from ecosystem.opendata import imports
from members import logos
from members.models import OrganizationKind

COLUMNS = [
    exports.NAME,
    exports.ACRONYM,
    (_("Kind"), exports.display("kind", OrganizationKind.choices)),
    (_("Headquarters city"), lambda organization: organization.hq_city),
    (
        _("Headquarters country"),
        lambda organization: organization.hq_country.name if organization.hq_country else "",
    ),
    (_("Founded"), lambda organization: organization.founded or ""),
    (_("Public email"), lambda organization: organization.email),
    (_("Phone"), lambda organization: organization.phone),
    (_("Postal address"), lambda organization: organization.address),
    ("LinkedIn", lambda organization: organization.linkedin),
    ("X", lambda organization: organization.x),
    ("Facebook", lambda organization: organization.facebook),
    # Read-only on import: a logo is uploaded in the admin, where it is checked.
    ("Logo", lambda organization: logos.absolute(organization.logo_large, settings.SITE_URL)),
    exports.COUNTRIES,
    exports.COUNTRY_CODES,
    exports.SECTORS,
    exports.SUMMARY,
    exports.WEBSITE,
    exports.SOURCES,
    exports.LAST_VERIFIED,
    exports.UPDATED,
]

# What the columns do when a file brings them back (ecosystem.opendata.imports).
IMPORT_CELLS = {
    "Kind": imports.put_choice("kind", OrganizationKind.choices),
    "Headquarters city": imports.put_text("hq_city"),
    "Headquarters country": imports.put_country("hq_country"),
    "Founded": imports.put_integer("founded"),
    "Public email": imports.put_text("email"),
    "Phone": imports.put_text("phone"),
    "Postal address": imports.put_text("address"),
    "LinkedIn": imports.put_text("linkedin"),
    "X": imports.put_text("x"),
    "Facebook": imports.put_text("facebook"),
}
