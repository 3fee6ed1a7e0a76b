from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IatiConfig(AppConfig):
    """Programmes read from and written as IATI activity files (iatistandard.org)."""

    name = "iati"
    verbose_name = _("IATI")
