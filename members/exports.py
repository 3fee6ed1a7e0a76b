from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ecosystem.core import cells, exports
from ecosystem.core.exports import Column
from members import logos
from members.models import OrganizationKind

COLUMNS = exports.shared_columns(
    own=[
        Column(
            _("Kind"),
            exports.display("kind", OrganizationKind.choices),
            cells.put_choice("kind", OrganizationKind.choices),
        ),
        Column(
            _("Headquarters city"),
            lambda organization: organization.hq_city,
            cells.put_text("hq_city"),
        ),
        Column(
            _("Headquarters country"),
            lambda organization: organization.hq_country.name if organization.hq_country else "",
            cells.put_country("hq_country"),
        ),
        Column(
            _("Founded"),
            lambda organization: organization.founded or "",
            cells.put_integer("founded"),
        ),
        Column(_("Public email"), lambda organization: organization.email, cells.put_text("email")),
        Column(_("Phone"), lambda organization: organization.phone, cells.put_text("phone")),
        Column(
            _("Postal address"),
            lambda organization: organization.address,
            cells.put_text("address"),
        ),
        Column("LinkedIn", lambda organization: organization.linkedin, cells.put_text("linkedin")),
        Column("X", lambda organization: organization.x, cells.put_text("x")),
        Column("Facebook", lambda organization: organization.facebook, cells.put_text("facebook")),
        # Read-only on import: a logo is uploaded in the admin, where it is checked.
        Column(
            "Logo",
            lambda organization: logos.absolute(organization.logo_large, settings.SITE_URL),
        ),
    ]
)
