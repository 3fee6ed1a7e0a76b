"""The one settings module. Every value comes from the environment, with defaults that
are safe for a developer's machine; production must say what it wants."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}.") from None


DEBUG = env_bool("DEBUG", default=False)

# A fixed development key is fine on a laptop and unacceptable anywhere else: with DEBUG
# off the site refuses to start until SECRET_KEY is set to something real.
INSECURE_KEY_PREFIX = "django-insecure-"
SECRET_KEY = env_str("SECRET_KEY", INSECURE_KEY_PREFIX + "local-development-only")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The public address, for links written outside a request (the open dataset).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")


def production_problems(debug: bool, secret_key: str, allowed_hosts: list[str]) -> list[str]:
    """What keeps a public (DEBUG off) site from being safe to run; empty when fine."""
    if debug:
        return []
    problems = []
    if not secret_key or secret_key.startswith(INSECURE_KEY_PREFIX) or len(secret_key) < 32:
        problems.append("SECRET_KEY must be set to a random value of at least 32 characters")
    if not allowed_hosts or "*" in allowed_hosts:
        problems.append("ALLOWED_HOSTS must list the site's host names (not '*')")
    return problems


# The refusal itself happens where the site starts: ecosystem/project/wsgi.py (gunicorn) and a
# system check (runserver, migrate and every management command). Importing the
# settings stays possible, so tests and tooling can load them.
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_countries",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "ecosystem",
    "members",
    "programmes",
    "events",
    "suggestions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ecosystem.project.middleware.content_security_policy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages travel compressed (Django's GZip adds random bytes against BREACH); static
    # files are precompressed by whitenoise.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Visitors' answers kept whole under the data's version, with ETags (ecosystem.core.cache).
    "ecosystem.core.cache.page_cache",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A request's changes to records are recounted per country and sector once, at its end.
    "ecosystem.core.counts.recount_after_request",
    # Who made a change, for the history of every record (ecosystem.core.history).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out username and address is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "ecosystem.project.urls"
WSGI_APPLICATION = "ecosystem.project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ecosystem.core.context_processors.record_types",
            ],
        },
    },
]

# SQLite in the project folder unless DATABASE_URL says otherwise (PostgreSQL in
# production). Persistent connections with health checks avoid a reconnect per request
# without handing out a connection the server has closed.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}

# --- A read replica (README, Deployment) ---
# With DATABASE_REPLICA_URL (a PostgreSQL streaming replica of DATABASE_URL), visitors'
# GET and HEAD requests read from it; writes, other requests, staff and commands use the
# primary (ecosystem/project/routers.py). It takes the primary's options (timeouts).
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **DATABASES["default"],
        **dj_database_url.parse(
            DATABASE_REPLICA_URL,
            conn_max_age=env_int("CONN_MAX_AGE", 600),
            conn_health_checks=True,
        ),
        # A test run uses the primary's test database for both.
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["ecosystem.project.routers.ReplicaRouter"]
    # First: the page cache and everything after it read the database.
    MIDDLEWARE = ["ecosystem.project.routers.replica_reads", *MIDDLEWARE]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# What is costly and shared (counts per country and sector...) is cached under the
# data's version, which every change bumps (ecosystem.core.cache): each process's own
# memory by default, Redis shared by every server with REDIS_URL.
REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# French first: most of the directory's readers read French.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Africa/Dakar"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed names with far-future cache headers.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "West Africa tech-support directory API",
    "DESCRIPTION": (
        "Read-only open data: organizations, SMEs, programmes, events, countries and "
        "sectors. List filters are the public pages' filters; an invalid value answers 400 "
        "naming the parameter."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc served from this site (drf-spectacular-sidecar), no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Choice sets shared by several fields get one name each.
    "ENUM_NAME_OVERRIDES": {
        "PrecisionEnum": "ecosystem.core.dates.Precision",
        "QualifierEnum": "programmes.models.Qualifier",
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
    # Off only to try the production configuration over plain http (the browser tests).
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)

# --- The guarded admin: its address, lock-out after failed logins, staff sessions ---


def admin_url(value: str) -> str:
    """The admin's path as urls.py wants it: "backstage/", never "/backstage" or ""."""
    if not value or value.startswith("/") or not value.endswith("/") or value.strip() != value:
        raise ImproperlyConfigured(
            f"ADMIN_URL must be a path that ends with '/' and does not start with '/' "
            f"(like 'admin/' or 'backstage/'), not {value!r}."
        )
    return value


# Where staff log in (ADMIN_URL, "admin/" by default). Moving it off the well-known
# /admin/ keeps most password-guessing bots away from the login form.
ADMIN_URL = admin_url(env_str("ADMIN_URL", "admin/"))

# django-axes: after 5 failed logins for one username from one address, that username
# is refused from that address (even with the right password) for 15 minutes; other
# usernames and other addresses are not affected. A success clears the count. Attempts
# are rows in the database (AccessAttempt), so every process sees the same count.
# Unlock at once: `manage.py axes_reset_username <username>` (or axes_reset_ip <ip>,
# axes_reset_ip_username <ip> <username>, axes_reset for everything).
# The client address is axes' default, REMOTE_ADDR. Behind a proxy that is the proxy's
# address, so every client would share one lock per username: trusting X-Forwarded-For
# from known proxies (AXES_IPWARE_*) is left to a later issue.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Axes' default, stated: an attempt refused during the lock-out starts the 15 minutes
# again, so the page's "locked for 15 minutes" is true from the attempt it answers.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
# A translated page in the admin's look (status 429), naming the cool-off.
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
# Its start-up banner would open the output of every management command.
AXES_VERBOSE = False

# Staff sessions end after SESSION_IDLE_MINUTES without a request (every request pushes
# the expiry back) and when the browser closes (the cookie has no expiry date). Public
# visitors get no session at all: an empty session is never saved, so no cookie is set.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 480)
if SESSION_IDLE_MINUTES < 1:
    raise ImproperlyConfigured(
        f"SESSION_IDLE_MINUTES must be a positive number of minutes, not {SESSION_IDLE_MINUTES}."
    )
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60

# A record staff verified within this many months may say it is current: a programme with
# no known end is "active" only then, else "last reported active" as of its sources.
VERIFIED_RECENTLY_MONTHS = env_int("VERIFIED_RECENTLY_MONTHS", 18)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
