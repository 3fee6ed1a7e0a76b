from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EcosystemConfig(AppConfig):
    name = "ecosystem"
    verbose_name = _("Directory core")

    def ready(self):
        # digest, links.checker and opendata.housekeeping declare their schedules.
        from ecosystem.core import database, digest, history, signals  # noqa: F401
        from ecosystem.core.links import checker  # noqa: F401
        from ecosystem.opendata import housekeeping  # noqa: F401
        from ecosystem.project import checks  # noqa: F401  (registers the system checks)

        signals.connect()
        post_migrate.connect(history.write_baselines, sender=self, dispatch_uid="history-baselines")
        # What every registered record type needs in the database (and registers the
        # system check that names a table without its search column).
        post_migrate.connect(
            database.make_search_objects, sender=self, dispatch_uid="search-objects"
        )
        post_migrate.connect(database.set_staff_groups, sender=self, dispatch_uid="staff-groups")
        # Staff see the background jobs; only Publishers retry one that failed.
        database.grant("Editor", "ecosystem.view_job")
        database.grant("Publisher", "ecosystem.view_job", "ecosystem.retry_job")
