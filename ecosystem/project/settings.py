"""The one settings module. Every value comes from the environment, with defaults that
are safe for a developer's machine; production must say what it wants."""

import os
from datetime import timedelta
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.http.request import validate_host
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


def production_problems(
    debug: bool, secret_key: str, allowed_hosts: list[str], site_url: str
) -> list[str]:
    """What keeps a public (DEBUG off) site from being safe to run; empty when fine."""
    if debug:
        return []
    problems = []
    if not secret_key or secret_key.startswith(INSECURE_KEY_PREFIX) or len(secret_key) < 32:
        problems.append("SECRET_KEY must be set to a random value of at least 32 characters")
    if not allowed_hosts or "*" in allowed_hosts:
        problems.append("ALLOWED_HOSTS must list the site's host names (not '*')")
    site = urlsplit(site_url)
    if site.scheme not in {"http", "https"} or not site.hostname or site.path not in {"", "/"}:
        problems.append(
            f"SITE_URL must be the site's public address, like https://directory.example.org"
            f" (not {site_url!r})"
        )
    elif allowed_hosts and not validate_host(site.hostname, allowed_hosts):
        # Every request is answered as SITE_URL's host: it must be an allowed one.
        problems.append(f"ALLOWED_HOSTS must include SITE_URL's host, {site.hostname}")
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
    "opportunities",
    "suggestions",
    "iati",
    "alerts",
    # After the project's apps: its own db_worker (ecosystem/management/commands) replaces
    # the one django_tasks_db brings, as Django takes the first app's command of a name.
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # First: which proxy headers to believe decides the scheme and the client's address.
    "ecosystem.project.middleware.trusted_proxies",
    # One log line per request, its duration counting all the rest (requestlog.py).
    "ecosystem.project.requestlog.request_log",
    "ecosystem.project.middleware.security_headers",
    "django.middleware.security.SecurityMiddleware",
    "ecosystem.project.middleware.canonical_host",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Uploaded logos, when no proxy serves MEDIA_URL (ecosystem.project.media).
    "ecosystem.project.media.hashed_media",
    # Pages travel compressed (Django's GZip adds random bytes against BREACH); static
    # files are precompressed by whitenoise.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # /fr/organizations/optic/ -> /fr/organisations/optic/: addresses in the other language's words.
    "ecosystem.project.middleware.address_in_other_words",
    # Before anything reads a body (the CSRF check parses every POST).
    "ecosystem.project.middleware.bounded_body",
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


def env_seconds(name: str, default: float) -> float:
    value = os.environ.get(name)
    try:
        seconds = float(value) if value else default
    except ValueError:
        seconds = -1
    if seconds <= 0:
        raise ImproperlyConfigured(f"{name} must be a positive number of seconds, not {value!r}.")
    return seconds


# A database that is down or frozen costs a visitor a few seconds and a clear 503, not a
# hung request: a new connection is given up after DATABASE_CONNECT_TIMEOUT (libpq counts
# whole seconds, at least 2), and during a request a query, or the health check of a
# reused connection, after DATABASE_QUERY_TIMEOUT (ecosystem/project/postgresql/base.py;
# SQLite waits that long for a lock). Commands (migrations, imports) are not bounded.
DATABASE_CONNECT_TIMEOUT = env_seconds("DATABASE_CONNECT_TIMEOUT", 2)
DATABASE_QUERY_TIMEOUT = env_seconds("DATABASE_QUERY_TIMEOUT", 3)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "ecosystem.project.postgresql"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        connect_timeout=max(2, round(DATABASE_CONNECT_TIMEOUT)),
        # A query whose client has gone (cut by the bound above) is stopped too.
        options="-c client_connection_check_interval=1000",
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = DATABASE_QUERY_TIMEOUT

# --- A read replica (docs/deployment.md) ---
# With DATABASE_REPLICA_URL (a PostgreSQL streaming replica of DATABASE_URL), visitors'
# GET and HEAD requests read from it; writes, other requests, staff and commands use the
# primary (ecosystem/project/routers.py). It takes the primary's options (timeouts).
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    replica = dj_database_url.parse(DATABASE_REPLICA_URL)
    DATABASES["replica"] = {
        **DATABASES["default"],
        # Where the replica is; how to talk to it (engine, timeouts) is the primary's.
        **{key: replica[key] for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT")},
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
# The cache fails open (ecosystem/project/redis_cache.py): a Redis that is down, frozen or
# refusing work costs a request at most CACHE_TIMEOUT per try (connecting, then each
# answer), and is then left alone for CACHE_RETRY_AFTER seconds while the site serves from
# the database; /healthz says "degraded".
CACHE_TIMEOUT = env_seconds("CACHE_TIMEOUT", 0.25)
CACHE_RETRY_AFTER = env_seconds("CACHE_RETRY_AFTER", 10)
CACHES = {
    "default": (
        {
            "BACKEND": "ecosystem.project.redis_cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": CACHE_TIMEOUT,
                "socket_timeout": CACHE_TIMEOUT,
                "retry_after": CACHE_RETRY_AFTER,
            },
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Visitors' answers that the page cache keeps may be kept by a shared cache in front of
# the site (nginx's proxy_cache, a CDN) for EDGE_CACHE_SECONDS, then served for
# EDGE_STALE_SECONDS more while it fetches the new one (docs/deployment.md, "An edge
# cache"); 0 keeps them out of shared caches (browsers revalidate either way).
EDGE_CACHE_SECONDS = env_int("EDGE_CACHE_SECONDS", 30)
EDGE_STALE_SECONDS = env_int("EDGE_STALE_SECONDS", 30)
if min(EDGE_CACHE_SECONDS, EDGE_STALE_SECONDS) < 0:
    raise ImproperlyConfigured("EDGE_CACHE_SECONDS and EDGE_STALE_SECONDS are 0 or more seconds.")
# After an edit, the page cache (ecosystem.core.cache) still serves a visitor the answer
# kept before it for at most PAGE_STALE_SECONDS, while one request makes the new one.
PAGE_STALE_SECONDS = env_int("PAGE_STALE_SECONDS", 60)
if PAGE_STALE_SECONDS < 0:
    raise ImproperlyConfigured("PAGE_STALE_SECONDS is 0 or more seconds.")

# --- Background jobs (ecosystem/jobs, docs/operations.md "Background jobs") ---
# Django's tasks API (django-tasks, django.tasks from Django 6) with its database backend:
# jobs are rows of the site's own database, run by `manage.py db_worker` processes on any
# number of machines. A job runs at most JOB_TIME_LIMIT seconds unless it says otherwise,
# and is tried JOB_ATTEMPTS times in all before it is left failed.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
JOB_TIME_LIMIT = env_seconds("JOB_TIME_LIMIT", 600)
JOB_ATTEMPTS = env_int("JOB_ATTEMPTS", 3)
# A list's CSV export of more rows than EXPORT_STREAM_MAX_ROWS is written to a file by a
# job while the visitor's page shows its progress (ecosystem/core/export_files.py); one of
# more than EXPORT_MAX_ROWS is refused.
EXPORT_STREAM_MAX_ROWS = env_int("EXPORT_STREAM_MAX_ROWS", 10_000)
EXPORT_MAX_ROWS = env_int("EXPORT_MAX_ROWS", 2_000_000)
# A prepared export's file answers the same export this long after it was made, edits
# since or not (its Last-Modified says when); then it is prepared again.
EXPORT_FRESH_SECONDS = env_int("EXPORT_FRESH_SECONDS", 300)
# An admin import of more rows than this is previewed and applied by jobs, with progress,
# rather than in the request (ecosystem/opendata/admin_import.py).
IMPORT_IN_REQUEST_MAX_ROWS = env_int("IMPORT_IN_REQUEST_MAX_ROWS", 500)
# IATI activity files (iati/, docs/operations.md "IATI imports"): only addresses on these
# hosts are fetched, and a file is refused past IATI_MAX_BYTES or IATI_MAX_ACTIVITIES.
IATI_ALLOWED_HOSTS = env_list(
    "IATI_ALLOWED_HOSTS", "iati.cloud,datastore.iatistandard.org,d-portal.org,www.afd.fr"
)
IATI_MAX_BYTES = env_int("IATI_MAX_BYTES", 50 * 1024 * 1024)
IATI_MAX_ACTIVITIES = env_int("IATI_MAX_ACTIVITIES", 5_000)
IATI_FETCH_SECONDS = env_seconds("IATI_FETCH_SECONDS", 60)
# Where the open dataset is rebuilt each night (ecosystem/opendata/housekeeping.py): a
# link to the latest complete copy, swapped at once, for a web server to serve.
DATASET_DIR = Path(env_str("DATASET_DIR", str(BASE_DIR / "dataset")))
# The directory as the reporting organisation of its IATI export (iati/writing.py), a
# secondary reporter: its organisation identifier (org-id.guide; the placeholder until it
# has one) and OrganisationType (90, other). Programmes with no IATI identifier of their
# own are exported as "<ref>-<slug>".
IATI_REPORTING_ORG = {
    "ref": env_str("IATI_REPORTING_ORG_REF", "ZZ-DIRECTORY"),
    "type": env_str("IATI_REPORTING_ORG_TYPE", "90"),
}
# A list's IATI export streams at most this many programmes (about 10 ms each, so within
# the request's time limit); past it the answer asks for filters. The open dataset's
# programmes-iati.xml holds them all.
IATI_EXPORT_MAX_PROGRAMMES = env_int("IATI_EXPORT_MAX_PROGRAMMES", 2_000)

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

# --- Media: the logos staff upload (members.logos) ---
# Named by their content's hash, never overwritten nor deleted: cached for ever, and an
# older version's logo is still there to revert to. MEDIA_STORAGE says where they live:
# - "filesystem": MEDIA_ROOT. A proxy serves MEDIA_URL (docs/deployment.md); without
#   one, the site does (ecosystem.project.media), unless SERVE_MEDIA=0.
# - "s3": an S3-compatible bucket through django-storages (`pip install
#   'django-storages[s3]'`), named by AWS_STORAGE_BUCKET_NAME, with AWS_S3_ENDPOINT_URL
#   (any provider but AWS), AWS_S3_REGION_NAME and AWS_S3_CUSTOM_DOMAIN (a CDN or the
#   bucket's public host) if needed. boto3 reads AWS_ACCESS_KEY_ID and
#   AWS_SECRET_ACCESS_KEY from the environment itself: they never sit in the settings.
MEDIA_STORAGE = env_str("MEDIA_STORAGE", "filesystem")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = env_str("MEDIA_URL", "/media/")
SERVE_MEDIA = env_bool("SERVE_MEDIA", default=True)
# Where pages may load pictures from besides the site itself (the CSP's img-src).
MEDIA_ORIGINS = []
if MEDIA_STORAGE == "s3":
    S3_BUCKET = env_str("AWS_STORAGE_BUCKET_NAME")
    if not S3_BUCKET or not find_spec("storages"):
        raise ImproperlyConfigured(
            "MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME and django-storages[s3] installed."
        )
    S3_ENDPOINT = env_str("AWS_S3_ENDPOINT_URL")
    S3_REGION = env_str("AWS_S3_REGION_NAME")
    S3_DOMAIN = env_str("AWS_S3_CUSTOM_DOMAIN")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": S3_ENDPOINT or None,
            "region_name": S3_REGION or None,
            "custom_domain": S3_DOMAIN or None,
            "location": "media",
            # Public, stable addresses: what a page, the API and a cache can keep.
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
    SERVE_MEDIA = False
    # The bucket's host, path-style or virtual-hosted, unless a domain is given.
    aws = f"https://s3.{S3_REGION}.amazonaws.com" if S3_REGION else "https://s3.amazonaws.com"
    endpoint = urlsplit(S3_ENDPOINT or aws)
    MEDIA_ORIGINS = (
        [f"https://{S3_DOMAIN}"]
        if S3_DOMAIN
        else [f"{endpoint.scheme}://{host}" for host in (endpoint.netloc, f"*.{endpoint.netloc}")]
    )
elif MEDIA_STORAGE != "filesystem":
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be filesystem or s3, not {MEDIA_STORAGE!r}.")
elif not MEDIA_URL.startswith("/"):  # another host serves MEDIA_ROOT
    MEDIA_ORIGINS = ["{0.scheme}://{0.netloc}".format(urlsplit(MEDIA_URL))]

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
    # The kinds of record are the endpoints the schema lists (one per type of the
    # registry): named there, not here.
    "DESCRIPTION": (
        "Read-only open data: the directory's records, one endpoint per kind, then "
        "countries and sectors. List filters are the public pages' filters; an invalid "
        "value answers 400 naming the parameter."
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
        "StageEnum": "opportunities.models.Stage",
    },
}

# --- Secure by default: with DEBUG off the site speaks HTTPS only ---
# Each of these is on in production unless the environment turns it off explicitly:
# the HTTPS redirect, HSTS for a year with subdomains and preload, secure cookies whose
# __Host- names bind them to this host. `make check-deploy` checks the result.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The proxies (addresses or networks) whose X-Forwarded-For and X-Forwarded-Proto are
# believed; from anyone else those headers are dropped (ecosystem.project.middleware).
# gunicorn listens on loopback by default, so the proxy in front is local.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "127.0.0.1,::1")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Load balancers probe the health check over plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # Redirect to the public address, not to whatever Host the request named.
    SECURE_SSL_HOST = urlsplit(SITE_URL).netloc or None
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    # Off only to try the production configuration over plain http (the browser tests).
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
    if SESSION_COOKIE_SECURE:
        # Browsers keep a __Host- cookie only if it is secure, for the whole site and for
        # this host alone: no subdomain can set or read it.
        SESSION_COOKIE_NAME = "__Host-sessionid"
        CSRF_COOKIE_NAME = "__Host-csrftoken"

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
# The client address is axes' default, REMOTE_ADDR, which the trusted_proxies middleware
# sets to the address our own proxies saw (X-Forwarded-For from TRUSTED_PROXIES only).
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

# The largest request body the site reads (ecosystem.project.middleware.bounded_body): the
# admin's import takes files of 5 MB and logos 2 MB; the form around them fits in the rest.
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 6 * 1024 * 1024)

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

# --- Link checks (ecosystem/core/links, docs/operations.md "Link checks") ---
# Each address waits for its host's turn: one check per host every LINK_CHECK_INTERVAL
# seconds; each request gives up after LINK_CHECK_TIMEOUT (connecting, then each read); a
# run checks at most LINK_CHECK_MAX_ADDRESSES, the longest unchecked first, and starts no
# check after LINK_CHECK_MAX_SECONDS.
LINK_CHECK_INTERVAL = env_seconds("LINK_CHECK_INTERVAL", 5)
LINK_CHECK_TIMEOUT = env_seconds("LINK_CHECK_TIMEOUT", 10)
LINK_CHECK_MAX_SECONDS = env_seconds("LINK_CHECK_MAX_SECONDS", 3600)
LINK_CHECK_MAX_ADDRESSES = env_int("LINK_CHECK_MAX_ADDRESSES", 5000)
# A person or mailbox a site's owner can write to about the checker (an email address).
LINK_CHECK_CONTACT = env_str("LINK_CHECK_CONTACT", "")
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Email: the staff digest and whatever else the site sends (ecosystem.core.mail) ---
# Printed on the console in development; in production sent through the SMTP server
# EMAIL_HOST names (with DEBUG on too, to try a real server). A send waits at most
# EMAIL_TIMEOUT seconds for the server, and a failure is logged, never raised to a page.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG and not EMAIL_HOST
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = EMAIL_HOST or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "EMAIL_USE_TLS (STARTTLS, port 587) and EMAIL_USE_SSL (TLS from the start, port 465)"
        " exclude each other: set one of them."
    )
EMAIL_TIMEOUT = env_seconds("EMAIL_TIMEOUT", 10)
# Replies to the site's mail reach nobody unless this names a real mailbox.
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", f"noreply@{urlsplit(SITE_URL).hostname or 'localhost'}"
)
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# --- Logs: one line per request and per error, on standard error ---
# JSON for a log collector (the default with DEBUG off), text for a person at a terminal.
# What a line holds and never holds: ecosystem/project/requestlog.py.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "ecosystem.project.requestlog.JsonFormatter"},
        "text": {"()": "ecosystem.project.requestlog.TextFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own handlers off (its console in DEBUG, mail to ADMINS): its records
        # reach the one handler above, once, in the same format.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # A 4xx is in its request line already; an error comes with its traceback.
        "django.request": {"level": "ERROR"},
        # runserver's access line: the request line replaces it.
        "django.server": {"handlers": [], "propagate": False},
    },
}
