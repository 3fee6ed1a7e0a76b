"""Events as iCalendar (RFC 5545), through the icalendar library. Dates are all-day: the
directory knows days, not hours. An event known only to the month or the year is one
all-day entry on the period's first day, with the period in its title ("SIPEN (May
2027)") and its description, never a block filling the month. An event announced but
not known to have been held is TENTATIVE; held, CONFIRMED; cancelled, CANCELLED.

Text goes in through the library, which escapes and folds it (RFC 5545, 3.1 and
3.3.11), less the control characters TEXT cannot hold (`printable`).

Each process keeps the lines of the last ENTRIES_KEPT entries it wrote, under what they
are made of: the record as last saved (its `updated`, which every save sets), what else
they show of other records, the language and the address. A calendar made again after
an edit writes again only the entries that changed: the library takes about a
millisecond an entry, most of a 500-entry calendar's time. (The bulk writes that leave
`updated` as it was are data migrations, run before the site's processes start.)"""

import datetime
import threading
from collections import OrderedDict

import icalendar
from django.utils import translation
from django.utils.translation import gettext as _

from ecosystem.core.dates import Precision
from ecosystem.core.exports import printable
from events.models import EventStatus

PRODID = "-//West Africa tech-support directory//Events//EN"
STATUS = {
    EventStatus.ANNOUNCED: "TENTATIVE",
    EventStatus.HELD: "CONFIRMED",
    EventStatus.CANCELLED: "CANCELLED",
}


ENTRIES_KEPT = 5_000
kept = OrderedDict()
keeping = threading.Lock()


def entry_lines(record, url, make, *shown):
    """The VEVENT `make(record, url)` writes, as bytes: kept from an earlier calendar of
    this process while nothing it is made of has changed (`shown`: what it shows of
    other records)."""
    key = (
        record._meta.label,
        record.pk,
        record.updated,
        translation.get_language(),
        url,
        *shown,
    )
    with keeping:
        lines = kept.get(key)
        if lines is not None:
            kept.move_to_end(key)
            return lines
    lines = make(record, url).to_ical()
    with keeping:
        kept[key] = lines
        while len(kept) > ENTRIES_KEPT:
            kept.popitem(last=False)
    return lines


def vevent(event, url):
    entry = icalendar.Event()
    entry.add("uid", f"event-{event.pk}@west-africa-tech-support-directory")
    entry.add("dtstamp", event.updated)
    entry.add("last-modified", event.updated)
    exact = event.start_precision == Precision.DAY
    entry.add("summary", printable(event.name if exact else f"{event.name} ({event.period})"))
    entry.add("dtstart", event.start)
    # DTEND is exclusive for all-day events: the day after the last day.
    last = event.end if exact else event.start
    entry.add("dtend", last + datetime.timedelta(days=1))
    entry.add("url", url)
    location = ", ".join(
        part
        for part in (event.venue, event.city, event.country.name if event.country else "")
        if part
    )
    if event.online:
        location = ", ".join(part for part in (location, _("online")) if part)
    if location:
        entry.add("location", printable(location))
    description = [event.summary, url]
    if not exact:
        description.insert(0, _("Dates known only as: %(period)s.") % {"period": event.period})
    entry.add("description", printable("\n\n".join(part for part in description if part)))
    entry.add("status", STATUS[event.status])
    entry.add("categories", [event.get_kind_display()])
    return entry


def calendar(events, absolute_url, name):
    entries = (
        entry_lines(
            event,
            absolute_url(event.get_absolute_url()),
            vevent,
            event.country.name if event.country else "",
        )
        for event in events
    )
    return calendar_of(entries, PRODID, name)


def calendar_of(entries, prodid, name):
    """A calendar of these entries (each a VEVENT's lines, entry_lines()), named `name` in
    calendar applications: what the library writes for the calendar holding them."""
    cal = icalendar.Calendar()
    cal.add("prodid", prodid)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    # icalendar types an X- property it does not know as raw (vUnknown): a line break in
    # an event's name would break the line, and the library refuses with an error (a
    # 500). Typed as text, it is escaped and folded like SUMMARY.
    cal.add("x-wr-calname", icalendar.vText(printable(name)))
    cal.add("x-published-ttl", "PT12H")
    end = b"END:VCALENDAR\r\n"
    return cal.to_ical().removesuffix(end) + b"".join(entries) + end
