"""Exports read their records in short keyset batches (ecosystem.core.exports.in_batches):
with batches smaller than the export, every record comes once, in the list's order (equal
names in the order of their keys), in every sort of every list and in both languages;
the stream and the job write the same bytes as one batch would; a batch costs the same
queries however many rows it holds; and an export a fault cuts short says so."""

import csv
import io
from datetime import date

import pytest
from django.db import OperationalError, connection
from django.db.backends import utils
from django.test.utils import CaptureQueriesContext

from ecosystem.core import exports
from ecosystem.core.export_files import ExportFile, prepare_export
from ecosystem.core.registry import registry
from tests import factories
from tests.helpers import url

pytestmark = pytest.mark.django_db

EXPORT = "members:organization-export"


def content(response):
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def table(data):
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.fixture
def namesakes():
    """Seven NGOs, four of them with the same name in both languages (their order is their
    keys'), one named in English only (its French sort falls back), made in an order that
    is not their names'."""
    made = [
        factories.OrganizationFactory(kind="ngo", name_en="Zeta", name_fr="Alpha"),
        *[
            factories.OrganizationFactory(kind="ngo", name_en="Same name", name_fr="Même nom")
            for _ in range(4)
        ],
        factories.OrganizationFactory(kind="ngo", name_en="Alpha", name_fr="Zêta"),
        factories.OrganizationFactory(kind="ngo", name_en="Only English", name_fr=""),
    ]
    factories.OrganizationFactory(kind="association", name_en="Not an NGO")
    return made


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Alpha", "Only English", *["Same name"] * 4, "Zeta"]),
        ("fr", ["Alpha", *["Même nom"] * 4, "Only English", "Zêta"]),
    ],
)
def test_batches_smaller_than_the_export_repeat_and_skip_no_record(
    client, namesakes, monkeypatch, language, expected
):
    address = url(EXPORT, language) + "?kind=ngo"
    whole = content(client.get(address))
    monkeypatch.setattr(exports, "BATCH", 2)  # four batches, a tie across two of them
    batched = content(client.get(address))
    assert batched == whole
    rows = table(batched)[1:]
    assert [row[0] for row in rows] == expected
    slugs = [row[-1].rsplit("/", 2)[-2] for row in rows]
    assert sorted(slugs) == sorted(record.slug for record in namesakes)
    # Equal names in the order of their keys.
    first = expected.index(namesakes[1].name)
    assert slugs[first : first + 4] == [record.slug for record in namesakes[1:5]]


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("key", [record_type.key for record_type in registry])
def test_every_sort_of_every_list_reads_the_same_in_batches_of_one(
    client, world, monkeypatch, language, key
):
    """Sorts by date put undated records last, by date of update, by name: each a keyset,
    with two records of one name in each list."""
    record_type = registry[key]
    same = {"name_en": "Namesake", "name_fr": "Homonyme"}
    for kind in ("sme", "ngo"):
        factories.OrganizationFactory.create_batch(2, kind=kind, **same)
    factories.ProgrammeFactory.create_batch(2, start=None, **same)
    factories.EventSeriesFactory.create_batch(2, **same)
    factories.EventFactory.create_batch(2, start=date(2020, 5, 4), **same)
    factories.OpportunityFactory.create_batch(2, **same)
    factories.OpportunityFactory(rolling=True)
    for sort in record_type.filterset.sort_orders:
        address = url(record_type.export_url, language) + f"?sort={sort}"
        monkeypatch.setattr(exports, "BATCH", 10_000)
        whole = content(client.get(address))
        monkeypatch.setattr(exports, "BATCH", 1)
        assert content(client.get(address)) == whole, sort
        assert len(table(whole)) > 2, sort  # more than one batch


def test_the_job_reads_in_batches_and_writes_what_the_stream_sends(
    client, namesakes, monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    address = url(EXPORT, "fr") + "?kind=ngo"
    streamed = content(client.get(address))
    settings.EXPORT_STREAM_MAX_ROWS = 3
    monkeypatch.setattr(exports, "BATCH", 2)
    client.get(address)
    assert prepare_export.call(ExportFile.objects.get().pk)["rows"] == len(namesakes)
    assert content(client.get(address)) == streamed


def queries(client, address):
    with CaptureQueriesContext(connection) as captured:
        content(client.get(address))
    return len(captured)


def test_a_batch_costs_the_same_queries_with_ten_times_the_rows(client, monkeypatch):
    """Three batches of one row against three batches of ten, each record with its
    countries, sectors and sources."""
    country, sector = factories.CountryFactory(), factories.SectorFactory()
    source = factories.SourceFactory()

    def smes(count):
        factories.OrganizationFactory.create_batch(
            count, kind="sme", countries=[country], sectors=[sector], sources=[source]
        )

    address = url("members:sme-export")
    smes(3)
    monkeypatch.setattr(exports, "BATCH", 1)
    few = queries(client, address)
    smes(27)
    monkeypatch.setattr(exports, "BATCH", 10)
    assert queries(client, address) == few


def test_an_export_a_fault_cuts_short_ends_with_an_error_line_not_a_clean_end(
    client, namesakes, monkeypatch
):
    monkeypatch.setattr(exports, "BATCH", 2)
    response = client.get(url(EXPORT, "fr") + "?kind=ngo")
    execute = utils.CursorWrapper._execute
    sent = []

    def fail_past_the_second_batch(self, sql, *args, **kwargs):
        if 'ORDER BY "members_organization"."sort_fr"' in sql:
            sent.append(sql)
            if len(sent) > 2:
                raise OperationalError("server closed the connection unexpectedly")
        return execute(self, sql, *args, **kwargs)

    monkeypatch.setattr(utils.CursorWrapper, "_execute", fail_past_the_second_batch)
    received = []
    with pytest.raises(OperationalError):  # the server cuts the connection, no clean end
        for piece in response.streaming_content:
            received.append(piece)
    rows = table(b"".join(received))
    assert len(rows) == 1 + 4 + 1  # the header, two batches, the error
    assert rows[-1] == [
        "Export interrompu : ce fichier est incomplet. Veuillez le télécharger à nouveau."
    ]
