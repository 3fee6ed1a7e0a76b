"""Every list's CSV export, of the seed and of demo data, in both languages, filtered and
in each of its sorts, byte for byte as recorded in tests/golden/exports/: a change to how
an export is read or written (ecosystem.core.exports) cannot change a single byte of it
unnoticed. The day is fixed (statuses say "as of" today) and so is each record's date of
update. After a change meant to change the files, write them again with
`UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_export_golden.py` and read the diff.

And a batch of every list costs the same queries however many rows it holds."""

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count

from ecosystem.core import exports
from ecosystem.core.registry import registry
from tests.helpers import count_queries, url

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden" / "exports"
DAY = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
FILTERS = ["", "country=SN", "country=SN&sector=digital-technology", "q=senegal&sort=name"]


@pytest.fixture
def directory(seeded):
    with time_machine.travel(DAY, tick=False):
        call_command(
            "generate_demo_data", smes=40, organizations=12, programmes=8, events=15, verbosity=0
        )
        for record_type in registry:
            record_type.model.objects.update(updated=DAY)
        yield


def exported(client, record_type, language):
    """The list's exports, one after the other, each after a line naming its query."""
    address = url(record_type.export_url, language)
    queries = FILTERS + [f"sort={sort}" for sort in record_type.filterset.sort_orders]
    pieces = []
    for query in queries:
        response = client.get(f"{address}?{query}")
        assert response.status_code == 200, query
        pieces += [f"== {query}\n".encode(), *response.streaming_content]
    return b"".join(pieces)


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("key", [record_type.key for record_type in registry])
def test_every_export_is_byte_for_byte_as_recorded(client, directory, key, language):
    with time_machine.travel(DAY, tick=False):
        data = exported(client, registry[key], language)
    golden = GOLDEN / f"{key}.{language}.csv"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(data)
    assert data.count(b"\n") > 50  # records, not only headers
    assert data == golden.read_bytes()


@pytest.mark.parametrize("key", [record_type.key for record_type in registry])
def test_a_batch_of_every_list_costs_the_same_queries_with_more_rows(
    client, directory, monkeypatch, key
):
    """The export of the country with the most records and of the one with the fewest,
    each in one batch: a related list a column reads without naming it (Column.lists)
    would be a query a row."""
    record_type = registry[key]
    monkeypatch.setattr(exports, "BATCH", 10_000)
    per_country = (
        record_type.listed_records()
        .values_list("countries__code")
        .exclude(countries__code=None)
        .annotate(records=Count("pk"))
        .order_by("-records", "countries__code")
    )
    (most, many), *_others, (fewest, few) = per_country
    assert many > few
    address = url(record_type.export_url)

    def export(country):
        return lambda: b"".join(client.get(f"{address}?country={country}").streaming_content)

    assert count_queries(export(most)) == count_queries(export(fewest))
