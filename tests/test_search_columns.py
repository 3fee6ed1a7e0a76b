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
def test_a_table_without_them_is_named_and_migrate_makes_them(client, world):
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

    problems = {problem.msg: problem for problem in database_problems()}
    assert len(problems) == len(tables())
    for table in tables():
        message = next(text for text in problems if f"Table {table} " in text)
        assert "search_vector column" in message and "trigram index" in message
        assert "manage.py migrate" in problems[message].hint

    # A warning, not an error: migrate, which runs the database checks first, goes on
    # and makes what was missing.
    call_command("migrate", verbosity=0)
    assert database_problems() == []
    test_every_registered_table_has_its_search_column_and_index()
    assert 'href="/en/organizations/optic/"' in html(
        client.get(url("search"), {"q": "senegalaise"})
    )
    assert 'href="/fr/organisations/optic/"' in html(
        client.get(url("search", "fr"), {"q": "senegalaise"})
    )
