"""On PostgreSQL, search needs two things in each record type's table besides its
migrations' fields: the stored vector that ranks results (`search_vector`) and the
trigram index on the folded text. A registered type gets them from `migrate` with no
migration of its own to remember, and `check --database default` names a table that
lacks them (ecosystem.core.database)."""

import pytest
from django.core.checks import Tags, run_checks
from django.core.management import call_command
from django.db import ProgrammingError, connection, transaction

from ecosystem.core.registry import registry
from tests.helpers import html, url

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the search column and index are PostgreSQL's"
)


def tables():
    return sorted({record_type.model._meta.db_table for record_type in registry})


def database_problems():
    return run_checks(tags=[Tags.database], databases=["default"])


def trigram_indexes(table):
    """The names of the table's GIN indexes on search_text, whatever they are called."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return [
        name
        for name, constraint in constraints.items()
        if constraint["index"]
        and constraint["columns"] == ["search_text"]
        and constraint["type"] == "gin"
    ]


def columns(table):
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, table)}


def test_a_migrated_database_has_nothing_to_report():
    assert database_problems() == []


@on_postgresql
def test_every_registered_table_has_its_search_column_and_index():
    for table in tables():
        assert "search_vector" in columns(table), table
        assert trigram_indexes(table), table


@on_postgresql
def test_a_table_without_them_is_named_and_migrate_makes_them(client, world, settings):
    settings.DEBUG = True  # so that migrate's checks pass the production settings check
    # As after a new type's migration that knew nothing of them.
    with connection.cursor() as cursor:
        # The records were written in this test's transaction: PostgreSQL alters a table
        # only once their deferred foreign-key checks have run.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in tables():
            cursor.execute(f'ALTER TABLE "{table}" DROP COLUMN search_vector')
            for index in trigram_indexes(table):
                cursor.execute(f'DROP INDEX "{index}"')
    # Search is down: the ranking names a column that is not there.
    with pytest.raises(ProgrammingError), transaction.atomic():
        client.get(url("search"), {"q": "senegalaise"})

    problems = database_problems()
    assert len(problems) == 2 * len(tables())
    for table in tables():
        messages = [problem.msg for problem in problems if problem.obj == table]
        assert sorted(messages) == [
            f"Table {table} lacks its search_vector column: on PostgreSQL, search, every "
            "list's ?q= and the API's ?q= fail with a server error.",
            f"Table {table} lacks its trigram index on search_text: on PostgreSQL, every "
            "search reads the whole table.",
        ]
    assert all("python manage.py migrate`" in problem.hint for problem in problems)

    # A warning, not an error: migrate, which runs the database checks first, goes on
    # and makes what was missing.
    call_command("migrate", verbosity=0, skip_checks=False)
    assert database_problems() == []
    test_every_registered_table_has_its_search_column_and_index()
    assert 'href="/en/organizations/optic/"' in html(
        client.get(url("search"), {"q": "senegalaise"})
    )
    assert 'href="/fr/organisations/optic/"' in html(
        client.get(url("search", "fr"), {"q": "senegalaise"})
    )
