import csv, datetime, io, time
import pytest
from ecosystem.core.registry import registry
from ecosystem.opendata import imports, tables, admin_import
from tests import factories
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db(transaction=True)

def test_programmes(db):
    factories.CountryFactory(code="SN"); factories.CountryFactory(code="CI")
    factories.SectorFactory(slug="agritech", name_en="Agritech", name_fr="Agritech")
    parent = factories.ProgrammeFactory(name_en="Parent programme")
    header = ["Name", "Acronym", "Start", "End", "Part of", "Countries", "Sectors", "Budget", "Budget currency", "Summary", "Website"]
    start = datetime.date(2020, 1, 1); day = datetime.timedelta(days=1)
    rows = [[f"Programme {n}", f"P{n}", start + n * day, start + (n + 400) * day, parent.name_en, "SN; CI", "Agritech", 1000 + n, "XOF", "Un programme. " * 28, "https://example.org/"] for n in range(1000)]
    out = io.StringIO(); csv.writer(out).writerows([header, *rows])
    table = tables.read_table(io.BytesIO(out.getvalue().encode()), "p.csv", admin_import.LIMITS)
    with CaptureQueriesContext(connection) as q:
        t = time.perf_counter()
        planned = imports.plan(registry["programmes"], table)
        for _ in range(2):
            t = time.perf_counter(); imports.plan(registry["programmes"], table)
        print(f"\n{connection.vendor} programmes plan {time.perf_counter() - t:.2f}s", imports.errors_of(planned)[:2], "queries", len(q))


def test_events(db):
    from tests.test_import_limits import events_at_the_limit
    table = tables.read_table(io.BytesIO(events_at_the_limit()), "e.csv", admin_import.LIMITS)
    with CaptureQueriesContext(connection) as q:
        t = time.perf_counter()
        planned = imports.plan(registry["events"], table)
        for _ in range(2):
            t = time.perf_counter(); imports.plan(registry["events"], table)
        print(f"\n{connection.vendor} events plan {time.perf_counter() - t:.2f}s", imports.errors_of(planned)[:2], "queries", len(q))


def test_organizations(db):
    factories.CountryFactory(code="SN"); factories.CountryFactory(code="ML")
    factories.SectorFactory(slug="agritech", name_en="Agritech", name_fr="Agritech")
    header = ["Name", "Acronym", "Kind", "Headquarters city", "Headquarters country", "Founded", "Public email", "Phone", "Postal address", "LinkedIn", "X", "Facebook", "Countries", "Sectors", "Summary", "Website"]
    rows = [[f"Org {n}", f"O{n}", "association", "Dakar", "SN", 1950 + n % 70, f"o{n}@example.org", "+221 33 000 00 00", "Rue 1", "https://www.linkedin.com/company/x", "https://x.com/x", "https://www.facebook.com/x", "SN; ML", "Agritech", "A summary " * 30, "https://example.org/"] for n in range(1000)]
    out = io.StringIO(); csv.writer(out).writerows([header, *rows])
    table = tables.read_table(io.BytesIO(out.getvalue().encode()), "o.csv", admin_import.LIMITS)
    with CaptureQueriesContext(connection) as q:
        t = time.perf_counter()
        planned = imports.plan(registry["organizations"], table)
        for _ in range(2):
            t = time.perf_counter(); imports.plan(registry["organizations"], table)
        print(f"\n{connection.vendor} organizations plan {time.perf_counter() - t:.2f}s", imports.errors_of(planned)[:2], "queries", len(q))
