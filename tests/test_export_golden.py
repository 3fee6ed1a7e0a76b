"""Every list's CSV export, of the seed and of demo data, in both languages, filtered and
in each of its sorts, byte for byte as recorded in tests/golden/exports/: a change to how
an export is read or written (ecosystem.core.exports) cannot change a single byte of it
unnoticed. The day is fixed (statuses say "as of" today) and so is each record's date of
update. After a change meant to change the files, write them again with
`UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_export_golden.py` and read the diff."""

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command

from ecosystem.core.registry import registry
from tests.helpers import url

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
