import datetime

import pytest
from django.utils import translation

from ecosystem.core.dates import format_period, parse_partial

D = datetime.date


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("2018", False, (D(2018, 1, 1), "year")),
        ("2023", True, (D(2023, 12, 31), "year")),
        ("2021-07", False, (D(2021, 7, 1), "month")),
        ("2024-02", True, (D(2024, 2, 29), "month")),
        ("2018-07-04", True, (D(2018, 7, 4), "day")),
    ],
)
def test_it_reads_partial_dates(text, end, expected):
    assert parse_partial(text, end=end) == expected


@pytest.mark.parametrize("text", ["", "18", "2018/07", "July 2018", "2018-13", "2018-02-30"])
def test_it_rejects_what_is_not_a_date(text):
    with pytest.raises(ValueError):
        parse_partial(text)


PERIODS = [
    # start, precision, end, precision, English, French
    (D(2018, 1, 1), "year", D(2023, 12, 31), "year", "2018–2023", "2018–2023"),
    (D(2015, 1, 1), "year", D(2015, 12, 31), "year", "2015", "2015"),
    (
        D(2021, 7, 1),
        "month",
        D(2025, 6, 30),
        "month",
        "July 2021 – June 2025",
        "juillet 2021 – juin 2025",
    ),
    (D(2019, 3, 1), "month", D(2019, 6, 30), "month", "March – June 2019", "mars – juin 2019"),
    (D(2018, 9, 1), "month", D(2018, 9, 30), "month", "September 2018", "septembre 2018"),
    (D(2018, 7, 4), "day", D(2018, 7, 5), "day", "4–5 July 2018", "4–5 juillet 2018"),
    (D(2017, 4, 4), "day", D(2017, 4, 6), "day", "4–6 April 2017", "4–6 avril 2017"),
    (
        D(2018, 6, 30),
        "day",
        D(2018, 7, 2),
        "day",
        "30 June – 2 July 2018",
        "30 juin – 2 juillet 2018",
    ),
    (D(2018, 7, 4), "day", D(2018, 7, 4), "day", "4 July 2018", "4 juillet 2018"),
    (D(2018, 7, 4), "day", None, "day", "from 4 July 2018", "à partir du 4 juillet 2018"),
    (D(2015, 1, 1), "year", None, "day", "from 2015", "à partir de 2015"),
    (D(2018, 1, 1), "year", D(2019, 6, 30), "month", "2018 – June 2019", "2018 – juin 2019"),
    (None, "day", None, "day", "", ""),
]


@pytest.mark.parametrize(("start", "sp", "end", "ep", "english", "french"), PERIODS)
def test_periods_print_with_their_precision_in_both_languages(start, sp, end, ep, english, french):
    with translation.override("en"):
        assert format_period(start, sp, end, ep) == english
    with translation.override("fr"):
        assert format_period(start, sp, end, ep) == french
