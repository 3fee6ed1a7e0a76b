from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IatiConfig(AppConfig):
    """Programmes read from and written as IATI activity files (iatistandard.org)."""

    name = "iati"
    verbose_name = _("IATI")

    def ready(self):
        from ecosystem.core import database
        from iati import dataset, sync  # noqa: F401  (sync declares the weekly schedule)

        dataset.register()

        # Staff read what the imports did; Editors resolve conflicts (a programme's
        # change) and keep the mapping and the matches; Publishers also choose the
        # sources the site fetches.
        read = [f"iati.view_{model}" for model in ("activity", "conflict", "syncsource")]
        keep = [
            f"iati.{action}_{model}"
            for model in ("sectormapping", "knownorganization")
            for action in ("add", "change", "view", "delete")
        ]
        sources = [f"iati.{action}_syncsource" for action in ("add", "change", "delete")]
        database.grant("Editor", *read, *keep)
        database.grant("Publisher", *read, *keep, *sources)
