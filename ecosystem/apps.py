from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EcosystemConfig(AppConfig):
    name = "ecosystem"
    verbose_name = _("Directory core")

    def ready(self):
        from ecosystem import checks, history, signals  # noqa: F401  (checks and receivers)

        signals.connect()
        post_migrate.connect(history.write_baselines, sender=self, dispatch_uid="history-baselines")
