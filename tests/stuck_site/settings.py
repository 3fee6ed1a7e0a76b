"""The production settings with addresses that never answer on their own, for the test
that every request is bounded in time (tests/test_request_timeout.py). Never part of the
site: only that test's gunicorn loads this module."""

from ecosystem.project.settings import *  # noqa: F403

ROOT_URLCONF = "tests.stuck_site.urls"
