from django.utils.translation import gettext_lazy as _

from ecosystem.core import exports
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
    exports.COUNTRIES,
    exports.COUNTRY_CODES,
    exports.SECTORS,
    exports.SUMMARY,
    exports.WEBSITE,
    exports.SOURCES,
    exports.LAST_VERIFIED,
    exports.UPDATED,
]
