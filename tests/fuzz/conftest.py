import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction

from ecosystem.core.models import Country
from tests import factories
from tests.fuzz import tally


@pytest.fixture(scope="package")
def seeded_site(django_db_setup, django_db_blocker):
    """The seed data, loaded once for the whole package and rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_ecosystem", verbosity=0)
        bare_records()
        yield
        transaction.set_rollback(True)
    # As they were before any WSGIHandlerInTransaction answered.
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


class WSGIHandlerInTransaction(WSGIHandler):
    """The site as a WSGI server runs it, inside the package's transaction. Django closes
    a connection that is inside a transaction when a request starts or finishes (the data
    would vanish with it): not here. Django's test client does the same around each of
    its own requests, then connects the signals again, so this must be said each time."""

    def __call__(self, environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        return super().__call__(environ, start_response)


@pytest.fixture
def site(seeded_site):
    """The WSGI application, made once the test's settings are in place."""
    return WSGIHandlerInTransaction()


def bare_records():
    """Beside the seed, a record of each kind with every optional field left empty, so
    that every null the API can answer is answered."""
    senegal = Country.objects.get(code="SN")
    organization = factories.OrganizationFactory(slug="bare-organization", kind="association")
    factories.OrganizationFactory(slug="bare-sme", kind="sme")
    programme = factories.ProgrammeFactory(slug="bare-programme")
    factories.ProgrammeRoleFactory(programme=programme, organization=organization)
    factories.SiteFactory(programme=programme, country=senegal)
    factories.IndicatorFactory(programme=programme)
    factories.EventRoleFactory(event=factories.EventFactory(slug="bare-event"))
    factories.EventSeriesFactory(slug="bare-series")


def pytest_terminal_summary(terminalreporter, config):
    if not tally.tried:
        return
    # Per target for the heavy runs; the quick slices in `make test` only add up.
    detailed = "fuzz" in (config.option.markexpr or "")
    write = terminalreporter.write_line
    width = max(len(target) for group in tally.tried.values() for target in group)
    terminalreporter.section("fuzzing: cases tried per target")
    for group, cases in sorted(tally.tried.items()):
        write(f"{group}:")
        for target, count in sorted(cases.items()) if detailed else []:
            write(
                f"  {target:<{width}}  {count:>7,} cases  {tally.failed[group][target]:>3} failed"
            )
        failures = sum(tally.failed[group].values())
        write(f"  {'all':<{width}}  {sum(cases.values()):>7,} cases  {failures:>3} failed")
    total = sum(sum(cases.values()) for cases in tally.tried.values())
    failures = sum(sum(cases.values()) for cases in tally.failed.values())
    write(f"{'total':<{width + 2}}  {total:>7,} cases  {failures:>3} failed")


def pytest_collection_modifyitems(config, items):
    """The heavy runs only when asked for by name (`-m fuzz`): `make test`, and CI's
    `-m "not e2e"`, leave them out."""
    if "fuzz" in (config.option.markexpr or ""):
        return
    heavy = [item for item in items if item.get_closest_marker("fuzz")]
    if heavy:
        config.hook.pytest_deselected(items=heavy)
        items[:] = [item for item in items if not item.get_closest_marker("fuzz")]
