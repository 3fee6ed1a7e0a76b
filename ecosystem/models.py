"""Django finds an app's models in <app>.models: the core's live in ecosystem/core/
(their history models are made there by django-simple-history)."""

from ecosystem.core.cache import DataVersion  # noqa: F401
from ecosystem.core.counts import HubCount  # noqa: F401
from ecosystem.core.export_files import ExportFile  # noqa: F401
from ecosystem.core.links.models import LinkCheck  # noqa: F401
from ecosystem.core.models import (  # noqa: F401
    Country,
    HistoricalCountry,
    HistoricalSector,
    HistoricalSource,
    Sector,
    Source,
)
from ecosystem.jobs.models import Job, JobProgress, ScheduledRun  # noqa: F401
