from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    """A visitor follows a filtered list by email: double opt-in, digests, unsubscribe."""

    name = "alerts"
    verbose_name = _("Alerts")

    def ready(self):
        # The digest and clean-up jobs, and their schedules.
        from alerts import digest  # noqa: F401
