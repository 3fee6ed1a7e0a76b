"""A programme's status is written twice, as SQL to filter (status_conditions) and in
Python to show (status_on): they agree on every boundary date."""

import datetime

import pytest

from programmes.models import Programme, ProgrammeStatus
from tests import factories

pytestmark = pytest.mark.django_db

PERIODS = [
    # (start, start precision, end, end precision)
    (datetime.date(2018, 1, 1), "year", datetime.date(2023, 12, 31), "year"),
    (datetime.date(2021, 7, 1), "month", datetime.date(2025, 6, 30), "month"),
    (datetime.date(2018, 7, 4), "day", datetime.date(2018, 7, 5), "day"),
    (datetime.date(2015, 1, 1), "year", None, "year"),  # open-ended
    (None, "year", None, "year"),  # dates unknown
]


def boundaries(start, end):
    days = [datetime.timedelta(days=n) for n in (-1, 0, 1)]
    return {date + day for date in (start, end) if date for day in days} or {
        datetime.date(2020, 1, 1)
    }


# The dates' source: none, or one written in 2024 (after some ends, before others): a
# passed end is "closed" only when a source written after it says so.
@pytest.mark.parametrize("source_published", [None, datetime.date(2024, 1, 1)])
@pytest.mark.parametrize(("start", "start_precision", "end", "end_precision"), PERIODS)
def test_filter_and_display_agree(start, start_precision, end, end_precision, source_published):
    programme = factories.ProgrammeFactory(
        start=start,
        start_precision=start_precision,
        end=end,
        end_precision=end_precision,
        dates_source=factories.SourceFactory(published=source_published),
    )
    for today in sorted(boundaries(start, end)):
        shown = programme.status_on(today)
        for status in ProgrammeStatus:
            found = Programme.objects.with_status(status, today=today).filter(pk=programme.pk)
            assert found.exists() == (shown == status), (today, status, shown)
