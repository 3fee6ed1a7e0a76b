"""The guarded admin: lock-out after failed logins (django-axes), a configurable address
(ADMIN_URL) and staff sessions that end when idle or when the browser closes.

Logins go through the admin's real form with client.post; REMOTE_ADDR stands for the
visitor's address. Axes keeps its counts in the database (AccessAttempt), which is
rolled back after each test, so no lock leaks from one test to the next."""

import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from ecosystem.project.settings import admin_url

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "the-right-password"
HOME = "203.0.113.7"
ELSEWHERE = "198.51.100.23"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LOGIN_ERROR = "Please enter the correct username and password"


@pytest.fixture
def staff(db, django_user_model):
    return django_user_model.objects.create_superuser("staff", "staff@example.org", PASSWORD)


@pytest.fixture
def colleague(db, django_user_model):
    return django_user_model.objects.create_superuser("colleague", "c@example.org", PASSWORD)


def log_in(username, password=PASSWORD, *, ip=HOME, client=None, **headers):
    """Posts the admin's login form as a browser at `ip` would; returns the client and
    the page the person ends on."""
    client = client or Client(REMOTE_ADDR=ip, HTTP_ACCEPT_LANGUAGE="en", **headers)
    response = client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        follow=True,
    )
    return client, response


def is_in(response):
    """The admin's dashboard, with its log-out button: the person is logged in."""
    page = response.content.decode()
    return response.status_code == 200 and "Log out" in page and LOGIN_ERROR not in page


def lock_out(username="staff", ip=HOME, **headers):
    """Five wrong passwords; returns the page the fifth one answers."""
    for _attempt in range(5):
        _client, response = log_in(username, "wrong", ip=ip, **headers)
    return response


def text(response):
    """The page's words, tags removed and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# Lock-out


def test_four_wrong_passwords_only_say_the_password_is_wrong(staff):
    for _attempt in range(4):
        _client, response = log_in("staff", "wrong")
        assert response.status_code == 200
        assert LOGIN_ERROR in response.content.decode()
    _client, response = log_in("staff")
    assert is_in(response)


def test_the_fifth_wrong_password_locks_the_account_even_against_the_right_one(staff):
    # Axes refuses from the fifth failure on (it is the one that reaches the limit).
    assert lock_out().status_code == 429

    client, response = log_in("staff")

    assert response.status_code == 429
    page = text(response)
    assert "Account locked" in page
    assert "Too many failed login attempts: this account is locked for 15 minutes." in page
    assert "ask an administrator to unlock your account" in page
    assert LOGIN_ERROR not in page
    # Not logged in: the dashboard still asks for the password.
    dashboard = client.get(reverse("admin:index"))
    assert dashboard.status_code == 302
    assert dashboard.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("how", ["accept-language", "cookie"])
def test_the_lockout_page_speaks_french(staff, how):
    # The admin is not under /fr/ or /en/: the language comes from the browser's
    # Accept-Language header or from the language cookie the site's switcher sets.
    if how == "accept-language":
        client = Client(REMOTE_ADDR=HOME, HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    else:
        client = Client(REMOTE_ADDR=HOME, HTTP_ACCEPT_LANGUAGE="en")
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    for _attempt in range(5):
        log_in("staff", "wrong", client=client)

    _client, response = log_in("staff", client=client)

    assert response.status_code == 429
    assert '<html lang="fr"' in response.content.decode()
    page = text(response)
    assert "Compte verrouillé" in page
    assert (
        "Trop de tentatives de connexion échouées : ce compte est verrouillé pendant "
        "15 minutes." in page
    )
    assert "demandez à un administrateur de déverrouiller votre compte" in page
    assert "Account locked" not in page


def test_the_lockout_page_keeps_to_the_content_security_policy(staff):
    lock_out()
    _client, response = log_in("staff")
    page = response.content.decode()
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert not re.search(r"<script(?![^>]*\bsrc=)", page), "inline script"
    assert "<style" not in page and " style=" not in page


def test_other_usernames_and_other_addresses_are_not_locked(staff, colleague):
    lock_out("staff", ip=HOME)

    _client, response = log_in("colleague", ip=HOME)
    assert is_in(response)
    _client, response = log_in("staff", ip=ELSEWHERE)
    assert is_in(response)
    # And the locked pair stays locked.
    _client, response = log_in("staff", ip=HOME)
    assert response.status_code == 429


def test_the_lock_lifts_after_fifteen_minutes(staff):
    with time_machine.travel(START, tick=False) as traveller:
        lock_out()
        traveller.shift(timedelta(minutes=14, seconds=59))
        _client, response = log_in("staff")
        assert response.status_code == 429
        # That refused attempt started the 15 minutes again, as its page says.
        traveller.shift(timedelta(minutes=15, seconds=1))
        _client, response = log_in("staff")
        assert is_in(response)


def test_an_untouched_lock_lifts_fifteen_minutes_after_the_last_failure(staff):
    with time_machine.travel(START, tick=False) as traveller:
        lock_out()
        traveller.shift(timedelta(minutes=15, seconds=1))
        _client, response = log_in("staff")
        assert is_in(response)


@pytest.mark.parametrize(
    "command",
    [
        ["axes_reset_username", "staff"],
        ["axes_reset_ip", HOME],
        ["axes_reset_ip_username", HOME, "staff"],
        ["axes_reset"],
    ],
)
def test_an_administrator_unlocks_at_once(staff, command):
    lock_out()
    out = StringIO()

    call_command(*command, stdout=out)

    assert "removed" in out.getvalue()
    _client, response = log_in("staff")
    assert is_in(response)


def test_a_successful_login_clears_the_count(staff):
    for _attempt in range(4):
        log_in("staff", "wrong")
    _client, response = log_in("staff")
    assert is_in(response)

    for _attempt in range(4):
        _client, response = log_in("staff", "wrong")
        assert response.status_code == 200
    _client, response = log_in("staff")
    assert is_in(response)


# The admin's address


@pytest.mark.parametrize("value", ["admin/", "backstage/", "staff/desk/", "gestion-7f3k/"])
def test_an_admin_url_is_a_relative_path_ending_with_a_slash(value):
    assert admin_url(value) == value


@pytest.mark.parametrize("value", ["", "/", "/admin/", "/admin", "admin", " admin/", "admin/ "])
def test_a_malformed_admin_url_is_refused_and_named(value):
    with pytest.raises(ImproperlyConfigured, match="ADMIN_URL must be a path that ends with '/'"):
        admin_url(value)


def start(command, **env):
    """Runs a Python snippet in a fresh process with only these variables (settings are
    read once per process, so a different ADMIN_URL needs a new one)."""
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "ecosystem.project.settings",
        # Nothing here reaches the database; an empty one makes sure of it.
        "DATABASE_URL": "sqlite:///:memory:",
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


def test_a_malformed_admin_url_stops_the_site_from_starting():
    result = start("import ecosystem.project.settings", ADMIN_URL="/backstage")
    assert result.returncode != 0
    assert "ImproperlyConfigured: ADMIN_URL must be a path that ends with '/'" in result.stderr
    assert "'/backstage'" in result.stderr


def test_the_admin_answers_at_a_custom_address():
    result = start(
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "from django.urls import reverse\n"
        "client = Client()\n"
        "print(reverse('admin:index'))\n"
        "print(client.get('/backstage/login/').status_code)\n"
        "print(client.get('/admin/login/').status_code)\n"
        "print(client.get('/robots.txt').content.decode())\n",
        DEBUG="1",
        ALLOWED_HOSTS="testserver",
        ADMIN_URL="backstage/",
    )
    assert result.returncode == 0, result.stderr
    index, custom, default, robots = result.stdout.split("\n", 3)
    assert index == "/backstage/"
    assert custom == "200"
    assert default == "404"
    # A custom address is not advertised in robots.txt.
    assert "backstage" not in robots and "admin" not in robots
    assert "Disallow: /en/search/" in robots and "Disallow: /fr/recherche/" in robots


def test_a_malformed_idle_time_is_named():
    result = start("import ecosystem.project.settings", SESSION_IDLE_MINUTES="0")
    assert "SESSION_IDLE_MINUTES must be a positive number of minutes, not 0" in result.stderr


# Sessions


def test_the_session_ends_when_the_browser_closes(staff):
    client = Client(REMOTE_ADDR=HOME, HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(reverse("admin:login"), {"username": "staff", "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""
    # Every later page writes it again, still without an expiry date.
    page = client.get(reverse("admin:index"))
    assert page.cookies[settings.SESSION_COOKIE_NAME]["expires"] == ""


def test_an_idle_session_is_logged_out_and_activity_keeps_it_alive(staff):
    idle = timedelta(minutes=settings.SESSION_IDLE_MINUTES)
    assert idle.total_seconds() == settings.SESSION_COOKIE_AGE
    with time_machine.travel(START, tick=False) as traveller:
        client, response = log_in("staff")
        assert is_in(response)
        # Two stretches just short of the limit, with a page seen in between: still in,
        # although the login is now almost twice the limit old.
        traveller.shift(idle - timedelta(minutes=1))
        assert is_in(client.get(reverse("admin:index")))
        traveller.shift(idle - timedelta(minutes=1))
        assert is_in(client.get(reverse("admin:index")))
        # Then idle a little longer than the limit: back to the login form.
        traveller.shift(idle + timedelta(minutes=1))
        response = client.get(reverse("admin:index"), follow=True)
        assert response.redirect_chain[0][0].startswith(reverse("admin:login"))
        assert not is_in(response)
        assert 'name="password"' in response.content.decode()


def test_public_visitors_get_no_session_cookie(db):
    client = Client()
    for path in ("/fr/", "/en/", reverse("admin:login")):
        response = client.get(path)
        assert response.status_code == 200
        assert settings.SESSION_COOKIE_NAME not in response.cookies, path
    assert settings.SESSION_COOKIE_NAME not in client.cookies
