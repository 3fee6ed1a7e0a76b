import os
import subprocess
import sys
from pathlib import Path

import pytest

from ecosystem.project.settings import production_problems

ROOT = Path(__file__).resolve().parent.parent
REAL_KEY = "x7$k2!p9@q" * 5


def start(command, **env):
    """Run a Python snippet the way a server would start, with only these variables."""
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "ecosystem.project.settings",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", command],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_development_run_needs_nothing():
    assert production_problems(True, "django-insecure-local", ["*"], "") == []


@pytest.mark.parametrize(
    ("key", "hosts", "problem"),
    [
        ("django-insecure-local-development-only", ["example.org"], "SECRET_KEY"),
        ("", ["example.org"], "SECRET_KEY"),
        ("short", ["example.org"], "SECRET_KEY"),
        (REAL_KEY, [], "ALLOWED_HOSTS"),
        (REAL_KEY, ["*"], "ALLOWED_HOSTS"),
    ],
)
def test_production_names_what_is_insecure(key, hosts, problem):
    problems = production_problems(False, key, hosts, "https://example.org")
    assert len(problems) == 1
    assert problem in problems[0]


def test_a_real_configuration_passes():
    site = "https://directory.example.org"
    assert production_problems(False, REAL_KEY, ["directory.example.org"], site) == []


def test_the_wsgi_server_refuses_to_start_without_a_real_secret_key():
    result = start("import ecosystem.project.wsgi", DEBUG="0", ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "Refusing to start with DEBUG off: SECRET_KEY must be set" in result.stderr


def test_the_wsgi_server_starts_when_configured():
    result = start(
        "import ecosystem.project.wsgi",
        DEBUG="0",
        ALLOWED_HOSTS="example.org",
        SECRET_KEY=REAL_KEY,
        SITE_URL="https://example.org",
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("site_url", "problem"),
    [
        ("example.org", "SITE_URL must be the site's public address"),
        ("https://example.org/directory/", "SITE_URL must be the site's public address"),
        ("https://elsewhere.example", "ALLOWED_HOSTS must include SITE_URL's host, elsewhere"),
    ],
)
def test_the_public_address_must_be_one_the_site_answers_for(site_url, problem):
    problems = production_problems(False, REAL_KEY, ["example.org"], site_url)
    assert len(problems) == 1
    assert problem in problems[0]


def test_management_commands_refuse_too():
    result = start(
        "import sys; from django.core.management import execute_from_command_line;"
        "execute_from_command_line(['manage.py', 'check'])",
        DEBUG="0",
    )
    assert result.returncode != 0
    assert "ecosystem.E001" in result.stderr


def test_a_malformed_boolean_is_named():
    result = start("import ecosystem.project.settings", DEBUG="maybe")
    assert "DEBUG must be a boolean" in result.stderr


def test_the_media_storage_is_chosen_by_the_environment(tmp_path):
    command = (
        "from django.conf import settings; from ecosystem.project.middleware import POLICY; "
        "print(settings.STORAGES['default']['BACKEND'], settings.SERVE_MEDIA); "
        "print(next(p for p in POLICY.split('; ') if p.startswith('img-src')))"
    )
    assert start(command).stdout.splitlines() == [
        "django.core.files.storage.FileSystemStorage True",
        "img-src 'self' data:",
    ]
    refused = start(command, MEDIA_STORAGE="ftp")
    assert "MEDIA_STORAGE must be filesystem or s3, not 'ftp'." in refused.stderr
    refused = start(command, MEDIA_STORAGE="s3")
    assert "MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME and django-storages" in refused.stderr
    # With django-storages there (an empty stand-in: the settings only look for it), the
    # bucket's endpoint is where pages may load pictures from.
    (tmp_path / "storages").mkdir()
    (tmp_path / "storages" / "__init__.py").write_text("")
    bucket = start(
        command,
        PYTHONPATH=str(tmp_path),
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="logos",
        AWS_S3_ENDPOINT_URL="https://s3.fr-par.scw.cloud",
    )
    assert bucket.stdout.splitlines() == [
        "storages.backends.s3.S3Storage False",
        "img-src 'self' data: https://s3.fr-par.scw.cloud https://*.s3.fr-par.scw.cloud",
    ]
