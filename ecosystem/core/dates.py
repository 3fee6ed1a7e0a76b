"""Dates that know how precisely they are known.

A programme that ran "2018–2023" must not print as 1 January 2018. Each date is stored as
a real date plus a precision (year, month or day). A start is stored as the first day of
its period and an end as the last day, so that database filters ("active in 2022",
"upcoming") compare plain dates and stay right whatever the precision.
"""

import calendar
import datetime
import re

from django.db import models
from django.utils import dateformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Precision(models.TextChoices):
    YEAR = "year", _("year")
    MONTH = "month", _("month")
    DAY = "day", _("day")


class PrecisionField(models.CharField):
    """How precisely the date beside it is known; pairs with a DateField."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 5)
        kwargs.setdefault("choices", Precision.choices)
        kwargs.setdefault("default", Precision.DAY)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key, value in (("max_length", 5), ("choices", Precision.choices)):
            if kwargs.get(key) == value:
                del kwargs[key]
        if kwargs.get("default") == Precision.DAY:
            del kwargs["default"]
        return name, path, args, kwargs


def first_day(value: datetime.date, precision: str) -> datetime.date:
    if precision == Precision.YEAR:
        return value.replace(month=1, day=1)
    if precision == Precision.MONTH:
        return value.replace(day=1)
    return value


def last_day(value: datetime.date, precision: str) -> datetime.date:
    if precision == Precision.YEAR:
        return value.replace(month=12, day=31)
    if precision == Precision.MONTH:
        return value.replace(day=calendar.monthrange(value.year, value.month)[1])
    return value


PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def parse_partial(text: str, *, end: bool = False) -> tuple[datetime.date, str]:
    """Read "2018", "2021-07" or "2018-07-04" into (date, precision).

    An end is placed on the last day of its period, anything else on the first.
    Raises ValueError with a readable message for anything else.
    """
    match = PARTIAL_DATE.match(str(text).strip())
    if not match:
        raise ValueError(f"{text!r} is not a date like 2018, 2021-07 or 2018-07-04")
    year, month, day = match.groups()
    precision = Precision.DAY if day else Precision.MONTH if month else Precision.YEAR
    value = datetime.date(int(year), int(month or 1), int(day or 1))
    return (last_day(value, precision) if end else value), precision


# Formats per precision, in Django's date-format syntax. The month names are translated
# by Django itself ("juillet" on a French page).
FORMATS = {Precision.YEAR: "Y", Precision.MONTH: "F Y", Precision.DAY: "j F Y"}


# French writes the first of the month "1er juillet".
FIRST_DAY = pgettext_lazy("the first day of a month, written before the month: 1 July", "1")


def format_date(value: datetime.date, date_format: str) -> str:
    """Django's date formatting (month names in the page's language), with the first
    day of a month written as the language writes it."""
    text = dateformat.format(value, date_format)
    if date_format.startswith("j") and value.day == 1:
        text = str(FIRST_DAY) + text[1:]
    return text


# French says "à partir du 4 juillet" but "à partir de 2015", and "à partir d'avril": one
# phrase per precision, and for months whose name begins with a vowel.
OPEN_ENDED_VOWEL = pgettext_lazy("from a month whose name begins with a vowel", "from %(start)s")
OPEN_ENDED = {
    Precision.YEAR: pgettext_lazy("from a year", "from %(start)s"),
    Precision.MONTH: pgettext_lazy("from a month", "from %(start)s"),
    Precision.DAY: pgettext_lazy("from a day", "from %(start)s"),
}
OPEN_START = {
    Precision.YEAR: pgettext_lazy("until a year", "until %(end)s"),
    Precision.MONTH: pgettext_lazy("until a month", "until %(end)s"),
    Precision.DAY: pgettext_lazy("until a day", "until %(end)s"),
}


def format_partial(value: datetime.date | None, precision: str) -> str:
    if value is None:
        return ""
    return format_date(value, FORMATS[precision])


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` months earlier (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return day.replace(
        year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1])
    )


def format_as_of(value: datetime.date | None, precision: str) -> str:
    """When a status was last known, to the month at most: "January 2019", "2019"."""
    return format_partial(value, Precision.YEAR if precision == Precision.YEAR else Precision.MONTH)


# A status that may have changed since the source said it: "planned (as of January 2019)".
AS_OF = _("%(status)s (as of %(date)s)")


def status_as_of(status, as_of) -> str:
    """`status` with the date it was last known true, if known: `as_of` is (date,
    precision) or None."""
    if not as_of:
        return str(status)
    return AS_OF % {"status": status, "date": format_as_of(*as_of)}


ISO_FORMATS = {Precision.YEAR: "%Y", Precision.MONTH: "%Y-%m", Precision.DAY: "%Y-%m-%d"}


def iso_partial(value: datetime.date | None, precision: str) -> str:
    """ISO 8601 with no more precision than is known: "2019", "2019-06", "2019-06-14"."""
    return value.strftime(ISO_FORMATS[precision]) if value else ""


def format_period(
    start: datetime.date | None,
    start_precision: str,
    end: datetime.date | None,
    end_precision: str,
) -> str:
    """Print a period with no more precision than is known, folding what repeats:
    "2018–2023", "July 2021 – June 2025", "4–5 July 2018", "30 June – 2 July 2018"."""
    if start is None and end is None:
        return ""
    if end is None:
        text = format_partial(start, start_precision)
        if start_precision == Precision.MONTH and text[:1].lower() in "aeiouéèêâîôûy":
            return OPEN_ENDED_VOWEL % {"start": text}
        return OPEN_ENDED[start_precision] % {"start": text}
    if start is None:
        return OPEN_START[end_precision] % {"end": format_partial(end, end_precision)}
    if start_precision == end_precision:
        same_year = start.year == end.year
        same_month = same_year and start.month == end.month
        if start_precision == Precision.YEAR:
            if same_year:
                return format_date(start, "Y")
            return f"{format_date(start, 'Y')}–{format_date(end, 'Y')}"
        if start_precision == Precision.MONTH:
            if same_month:
                return format_date(start, "F Y")
            if same_year:
                return f"{format_date(start, 'F')} – {format_date(end, 'F Y')}"
        if start_precision == Precision.DAY:
            if start == end:
                return format_date(start, "j F Y")
            if same_month:
                return f"{format_date(start, 'j')}–{format_date(end, 'j F Y')}"
            if same_year:
                return f"{format_date(start, 'j F')} – {format_date(end, 'j F Y')}"
    return f"{format_partial(start, start_precision)} – {format_partial(end, end_precision)}"


class PartialDateField(models.DateField):
    """A date known to the precision held in a sibling PrecisionField. On save it is
    moved to the first day of its period, or the last day with ``at_end=True``, so that
    every date filter can compare plain dates."""

    def __init__(self, *args, precision_field, at_end=False, **kwargs):
        self.precision_field = precision_field
        self.at_end = at_end
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["precision_field"] = self.precision_field
        if self.at_end:
            kwargs["at_end"] = True
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        if value is not None:
            precision = getattr(model_instance, self.precision_field)
            value = (last_day if self.at_end else first_day)(value, precision)
            setattr(model_instance, self.attname, value)
        return value
