"""The production settings, plus what the benchmark needs to see inside the server: the
floor view's URL and a count of SQL queries in every answer's Server-Timing header."""

from ecosystem.project.settings import *  # noqa: F403
from ecosystem.project.settings import MIDDLEWARE

ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.middleware.query_count", *MIDDLEWARE]
