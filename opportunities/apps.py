from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpportunitiesConfig(AppConfig):
    """Calls for applications, grants, trainings, trade missions: what an entrepreneur
    can apply for, with a deadline."""

    name = "opportunities"
    verbose_name = _("Opportunities")

    def ready(self):
        from opportunities import records

        records.register()
