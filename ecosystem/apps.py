from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EcosystemConfig(AppConfig):
    name = "ecosystem"
    verbose_name = _("Directory core")

    def ready(self):
        from ecosystem import checks, signals  # noqa: F401  (registers checks and receivers)

        signals.connect()
