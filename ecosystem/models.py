"""Django finds an app's models in <app>.models: the core's live in ecosystem/core/."""

from ecosystem.core.cache import DataVersion  # noqa: F401
from ecosystem.core.models import Country, Sector, Source  # noqa: F401
