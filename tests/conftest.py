import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command

from tests import factories

# A second database alias for the read-replica router's tests (tests/test_routers.py): a
# mirror of the test database, as a replica is a copy of the primary. Nothing reads
# through it unless a test turns the router on.
settings.DATABASES.setdefault(
    "replica", {**settings.DATABASES["default"], "TEST": {"MIRROR": "default"}}
)


@pytest.fixture(autouse=True)
def _fast_and_plain(settings):
    # Tests render templates without running collectstatic first, and hash passwords fast.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_AUTOREFRESH = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The test client speaks plain http to "testserver": production's HTTPS redirect and
    # public address are tried in tests/test_security.py.
    settings.SECURE_SSL_REDIRECT = False
    settings.SITE_URL = "http://testserver"
    # Content types are cached per process: clear them so that query counts do not
    # depend on which test ran first. The data's version starts again with each test's
    # database: so must the cache of results kept under it.
    ContentType.objects.clear_cache()
    cache.clear()


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("staff", "staff@example.org", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def seeded(db):
    """The real seed data (rolled back after each test, like any test data)."""
    call_command("seed_ecosystem", verbosity=0)


@pytest.fixture
def senegal(db):
    return factories.CountryFactory(code="SN", region="west_africa")


@pytest.fixture
def world(db):
    from tests import world

    return world.build()
