import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

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
    # A visitor after an edit has the new answer: tests of what an edit reaches read it
    # at once. Those of the window in which the old one is served set their own.
    settings.PAGE_STALE_SECONDS = 0
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
    """The real seed data (rolled back after each test, like any test data).

    Seeding takes seconds and a hundred tests ask for it: the first test seeds and keeps
    the rows the seed wrote; later tests that start from the same rows write those rows
    back, as they were. Any other start (after a test that emptied the tables) seeds."""
    start = (connection.alias, row_ids())
    if start in SEED_ROWS:
        write_back(SEED_ROWS[start])
        return
    before = all_rows()
    call_command("seed_ecosystem", verbosity=0)
    SEED_ROWS[start] = rows_written_since(before)


SEED_ROWS = {}


def row_ids():
    """Which rows are there, table by table: what the seed starts from."""
    return tuple(
        (model._meta.label, tuple(model._base_manager.order_by("pk").values_list("pk", flat=True)))
        for model in apps.get_models(include_auto_created=True)
    )


def all_rows():
    """{model: {pk: {field: value}}} of every table Django knows, history included."""
    return {
        model: {
            row[model._meta.pk.attname]: row
            for row in model._base_manager.values(*(f.attname for f in model._meta.concrete_fields))
        }
        for model in apps.get_models(include_auto_created=True)
    }


def rows_written_since(before):
    """[(model, new rows, changed rows, pks of deleted rows)] between `before` and now
    (the seed recounts: it deletes the counts there were and writes new ones)."""
    written = []
    for model, rows in all_rows().items():
        old = before[model]
        new = [row for pk, row in rows.items() if pk not in old]
        changed = [row for pk, row in rows.items() if pk in old and old[pk] != row]
        deleted = old.keys() - rows.keys()
        if new or changed or deleted:
            written.append((model, new, changed, deleted))
    return written


def write_back(written):
    """Rows as the seed wrote them, ids included; no signal runs (they ran the first time:
    history rows are among the rows). Foreign keys are checked at the end of the test's
    transaction, so the order of tables does not matter; sequences then start past them."""
    for model, new, changed, deleted in written:
        model._base_manager.filter(pk__in=deleted)._raw_delete(connection.alias)
        model._base_manager.bulk_create(model(**row) for row in new)
        pk = model._meta.pk.attname
        for row in changed:
            model._base_manager.filter(pk=row[pk]).update(**row)
    models = [model for model, *_ in written]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


@pytest.fixture
def senegal(db):
    return factories.CountryFactory(code="SN", region="west_africa")


@pytest.fixture
def world(db):
    from tests import world

    return world.build()
