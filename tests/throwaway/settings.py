"""The project's settings with the throw-away type installed: the one edit a new type
makes outside its app (INSTALLED_APPS)."""

from ecosystem.project.settings import *  # noqa: F403
from ecosystem.project.settings import DATABASES, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.throwaway"]

# Beside the main suite's test database on PostgreSQL, not in its place (SQLite's is in
# memory, one per process).
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_throwaway"}
