"""Deadlines as iCalendar (RFC 5545), one entry per opportunity with a deadline: all-day
on the deadline's day, its time (in the call's time zone) in the title. A deadline known
only to the month or the year sits on the period's last day, the period in its title;
the library escapes and folds the text (see events.calendar)."""

import datetime

import icalendar
from django.utils.translation import gettext as _

from ecosystem.core.dates import Precision
from ecosystem.core.exports import printable
from events.calendar import calendar_of, entry_lines

PRODID = "-//West Africa tech-support directory//Deadlines//EN"


def vevent(opportunity, url):
    entry = icalendar.Event()
    entry.add("uid", f"opportunity-{opportunity.pk}@west-africa-tech-support-directory")
    entry.add("dtstamp", opportunity.updated)
    entry.add("last-modified", opportunity.updated)
    summary = _("Deadline: %(name)s") % {"name": opportunity.name}
    if opportunity.deadline_precision != Precision.DAY or opportunity.deadline_time:
        summary = f"{summary} ({opportunity.deadline_display})"
    entry.add("summary", printable(summary))
    entry.add("dtstart", opportunity.deadline)
    entry.add("dtend", opportunity.deadline + datetime.timedelta(days=1))
    entry.add("url", url)
    description = [opportunity.summary, opportunity.apply_url, url]
    entry.add("description", printable("\n\n".join(part for part in description if part)))
    entry.add("categories", [opportunity.get_kind_display()])
    return entry


def calendar(opportunities, absolute_url, name):
    entries = (
        entry_lines(opportunity, absolute_url(opportunity.get_absolute_url()), vevent)
        for opportunity in opportunities
    )
    return calendar_of(entries, PRODID, name)
