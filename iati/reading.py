"""Read an IATI activity file (versions 2.01 to 2.03) into plain activities.

The file is streamed with lxml's `iterparse`: each `iati-activity` is read when it ends,
then dropped. Nothing outside the file is read: a document type (where entities and
external references live) is refused before the first activity, the parser resolves no
entity and reaches no network, and the file's size and its number of activities are
bounded (settings.IATI_MAX_BYTES, IATI_MAX_ACTIVITIES) before the work grows with them.
A value that is not what the standard says is an error naming the activity and the
element; `read()` gives every activity with its errors, and the import writes nothing
while there is one.
"""

import datetime
import io
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from lxml import etree

VERSIONS = ("2.01", "2.02", "2.03")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# participating-org roles: 1 funding, 2 accountable, 3 extending, 4 implementing.
ROLES = {"1": "funding", "2": "accountable", "3": "extending", "4": "implementing"}
# activity-date types: 1 planned start, 2 actual start, 3 planned end, 4 actual end.
DATE_TYPES = {"1": "planned_start", "2": "actual_start", "3": "planned_end", "4": "actual_end"}
# Transactions summed: 2 outgoing commitment, 3 disbursement (and the letters of 1.x
# files some publishers still write in 2.01 ones).
TRANSACTION_TYPES = {"2": "commitment", "C": "commitment", "3": "disbursement", "D": "disbursement"}
# Sector vocabularies read as DAC codes: 1 DAC 5-digit (the default), 2 DAC 3-digit.
DAC_VOCABULARIES = {"1": 5, "2": 3}


class IatiFileError(ValueError):
    """The file cannot be read as IATI activities at all (not XML, not IATI, a version
    not read, a limit): nothing is imported. `too_large` when a limit refused it."""

    def __init__(self, message, *, too_large=False):
        super().__init__(message)
        self.too_large = too_large


@dataclass(frozen=True)
class Limits:
    bytes: int
    activities: int

    @classmethod
    def from_settings(cls):
        return cls(bytes=settings.IATI_MAX_BYTES, activities=settings.IATI_MAX_ACTIVITIES)


@dataclass
class Participant:
    role: str  # a ProgrammeRoleKind value: funding, accountable, extending, implementing
    ref: str  # its IATI organisation identifier, "" when the publisher gives none
    names: dict  # {language: name}
    type: str = ""  # IATI OrganisationType code

    @property
    def name(self):
        return self.names.get("en") or self.names.get("fr") or next(iter(self.names.values()), "")


@dataclass
class Document:
    url: str
    titles: dict  # {language: title}
    language: str = ""
    date: datetime.date | None = None


@dataclass
class Location:
    names: dict
    latitude: Decimal
    longitude: Decimal


@dataclass
class Activity:
    """An iati-activity as the standard means it, in plain values."""

    identifier: str
    line: int
    version: str
    default_language: str = ""
    default_currency: str = ""
    last_updated: datetime.datetime | None = None
    hierarchy: str = ""
    publisher_ref: str = ""
    publisher_names: dict = field(default_factory=dict)
    titles: dict = field(default_factory=dict)  # {language: text}
    # {description type: {language: text}}: 1 general, 2 objectives, 3 target groups.
    descriptions: dict = field(default_factory=dict)
    participants: list = field(default_factory=list)
    countries: list = field(default_factory=list)  # [(code, percentage or None)]
    regions: list = field(default_factory=list)  # [(code, vocabulary, percentage or None)]
    sectors: list = field(default_factory=list)  # [(code, vocabulary, percentage or None)]
    dates: dict = field(default_factory=dict)  # {planned_start: date, ...}
    status: str = ""
    # [{"type", "status", "start", "end", "value", "currency"}]
    budgets: list = field(default_factory=list)
    # {("commitment" | "disbursement", currency): Decimal total}
    transactions: dict = field(default_factory=dict)
    related: list = field(default_factory=list)  # [(type code, identifier)]
    documents: list = field(default_factory=list)
    locations: list = field(default_factory=list)
    contacts: list = field(default_factory=list)  # [{"organisation", "person", "email", ...}]
    errors: list = field(default_factory=list)

    @property
    def publisher_name(self):
        names = self.publisher_names
        return names.get("en") or names.get("fr") or next(iter(names.values()), "")

    def error(self, element, message):
        self.errors.append(
            _("Activity %(activity)s, line %(line)s, <%(element)s>: %(message)s")
            % {
                "activity": self.identifier or _("without identifier"),
                "line": element.sourceline if element is not None else self.line,
                "element": local(element.tag) if element is not None else "iati-activity",
                "message": message,
            }
        )


def local(tag):
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


@contextmanager
def opened(source):
    if hasattr(source, "read"):
        yield source
    else:
        with Path(source).open("rb") as file:
            yield file


def size_of(file):
    size = file.seek(0, io.SEEK_END)
    file.seek(0)
    return size


def read(source, limits=None):
    """[Activity] of the file at `source` (a path or a binary file that can seek), each
    with its errors. Raises IatiFileError when the file as a whole cannot be read."""
    limits = limits or Limits.from_settings()
    with opened(source) as file:
        if size_of(file) > limits.bytes:
            raise IatiFileError(
                _("The file is larger than %(max)s.") % {"max": filesizeformat(limits.bytes)},
                too_large=True,
            )
        return list(activities(file, limits))


def activities(file, limits):
    parser = etree.iterparse(
        file,
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    root, version, count, current = None, "", 0, ""
    try:
        for event, element in parser:
            if root is None:
                root = element
                version = check_root(element)
                continue
            if event == "start":
                if local(element.tag) == "iati-activity" and element.getparent() is root:
                    count += 1
                    if count > limits.activities:
                        raise IatiFileError(
                            _("The file has more than %(max)s activities.")
                            % {"max": limits.activities},
                            too_large=True,
                        )
                continue
            name = local(element.tag)
            if name == "iati-identifier" and element.getparent() is not None:
                current = (element.text or "").strip()
            if name == "iati-activity" and element.getparent() is root:
                yield read_activity(element, root, version)
                current = ""
                element.clear()
                root.remove(element)
    except etree.XMLSyntaxError as error:
        if root is None and declares_doctype(file):
            raise doctype_refused() from error
        where = _(" in activity %(activity)s") % {"activity": current} if current else ""
        raise IatiFileError(
            _("The file is not well-formed XML%(where)s, line %(line)s: %(error)s")
            % {"where": where, "line": error.lineno, "error": error.msg}
        ) from error
    if root is None:
        raise IatiFileError(_("The file is empty."))


def doctype_refused():
    return IatiFileError(
        _("The file declares a document type (entities, external references): refused.")
    )


def declares_doctype(file):
    """Whether the file's start declares a document type: libxml2 may stop at one (an
    entity expanding too much) before the root element says so."""
    file.seek(0)
    return b"<!DOCTYPE" in file.read(64 * 1024)


def check_root(root):
    """The file's version, once its root says it is an IATI activity file of a version
    read here and it declares no document type."""
    if root.getroottree().docinfo.doctype:
        raise doctype_refused()
    if local(root.tag) != "iati-activities":
        raise IatiFileError(
            _("This is not an IATI activity file: its root element is <%(element)s>.")
            % {"element": local(root.tag)}
        )
    version = (root.get("version") or "").strip()
    if version not in VERSIONS:
        raise IatiFileError(
            _("IATI version %(version)s is not read here: only %(versions)s.")
            % {"version": version or "?", "versions": ", ".join(VERSIONS)}
        )
    return version


def language_of(code):
    """ "en", "fr" or another two-letter code, "" when none."""
    return (code or "").strip().lower()[:2]


def narratives(element, default_language, activity=None):
    """{language: text} of an element's narratives (a 2.x element), a narrative with no
    xml:lang in the activity's default language."""
    texts = {}
    if element is None:
        return texts
    for narrative in children(element, "narrative"):
        text = " ".join((narrative.text or "").split())
        if not text:
            continue
        language = language_of(narrative.get(XML_LANG)) or default_language
        if not language and activity is not None:
            activity.error(narrative, _("a narrative with no language, and no default one."))
            continue
        texts.setdefault(language, text)
    return texts


def child(element, name):
    return element.find(f"{{*}}{name}")


def children(element, name):
    return element.findall(f"{{*}}{name}")


def read_date(activity, element, attribute="iso-date"):
    text = (element.get(attribute) or "").strip()
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        activity.error(
            element,
            _("%(attribute)s “%(value)s” is not a date.") % {"attribute": attribute, "value": text},
        )
        return None


def read_number(activity, element, text, what):
    try:
        value = Decimal((text or "").strip())
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        activity.error(
            element, _("%(what)s “%(value)s” is not a number.") % {"what": what, "value": text}
        )
        return None
    return value


def percentage(activity, element):
    text = element.get("percentage")
    if text is None or not text.strip():
        return None
    value = read_number(activity, element, text, "percentage")
    if value is not None and not 0 <= value <= 100:
        activity.error(
            element, _("a percentage is between 0 and 100, not %(value)s.") % {"value": text}
        )
        return None
    return value


def read_datetime(activity, element, text):
    try:
        value = datetime.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        activity.error(
            element,
            _("last-updated-datetime “%(value)s” is not a date and time.") % {"value": text},
        )
        return None
    if value.tzinfo is None:  # 2.01 files often give none: IATI's times are UTC
        value = value.replace(tzinfo=datetime.UTC)
    return value


def read_activity(element, root, version):
    default_language = language_of(element.get(XML_LANG) or root.get(XML_LANG))
    identifier_element = child(element, "iati-identifier")
    identifier = (
        " ".join((identifier_element.text or "").split()) if identifier_element is not None else ""
    )
    activity = Activity(
        identifier=identifier,
        line=element.sourceline or 0,
        version=version,
        default_language=default_language,
        default_currency=(element.get("default-currency") or "").strip().upper(),
        hierarchy=(element.get("hierarchy") or "").strip(),
    )
    if not identifier:
        activity.error(element, _("it has no iati-identifier."))
    if len(identifier) > 150:
        activity.error(identifier_element, _("an identifier of more than 150 characters."))
    updated = element.get("last-updated-datetime")
    if updated:
        activity.last_updated = read_datetime(activity, element, updated)
    for reader in READERS:
        reader(activity, element)
    return activity


def read_publisher(activity, element):
    reporting = child(element, "reporting-org")
    if reporting is None:
        activity.error(element, _("it has no reporting-org."))
        return
    activity.publisher_ref = (reporting.get("ref") or "").strip()
    activity.publisher_names = narratives(reporting, activity.default_language, activity)


def read_texts(activity, element):
    title = child(element, "title")
    activity.titles = narratives(title, activity.default_language, activity)
    if not activity.titles:
        activity.error(title if title is not None else element, _("it has no title."))
    for description in children(element, "description"):
        kind = (description.get("type") or "1").strip()
        texts = narratives(description, activity.default_language, activity)
        for language, text in texts.items():
            found = activity.descriptions.setdefault(kind, {})
            found[language] = f"{found[language]}\n\n{text}" if language in found else text


def read_participants(activity, element):
    for participant in children(element, "participating-org"):
        role = ROLES.get((participant.get("role") or "").strip())
        if role is None:
            continue  # other roles (none in 2.03) are not the directory's
        names = narratives(participant, activity.default_language, activity)
        ref = (participant.get("ref") or "").strip()
        if not names and not ref:
            activity.error(participant, _("an organization with neither a name nor an identifier."))
            continue
        activity.participants.append(
            Participant(
                role=role, ref=ref, names=names, type=(participant.get("type") or "").strip()
            )
        )


def read_places(activity, element):
    for country in children(element, "recipient-country"):
        code = (country.get("code") or "").strip().upper()
        if len(code) != 2 or not code.isalpha():
            activity.error(country, _("“%(code)s” is not a country code.") % {"code": code})
            continue
        activity.countries.append((code, percentage(activity, country)))
    for region in children(element, "recipient-region"):
        code = (region.get("code") or "").strip()
        activity.regions.append(
            (code, (region.get("vocabulary") or "1").strip(), percentage(activity, region))
        )
    for sector in children(element, "sector"):
        code = (sector.get("code") or "").strip()
        vocabulary = (sector.get("vocabulary") or "1").strip()
        if vocabulary in DAC_VOCABULARIES and not (
            code.isdigit() and len(code) == DAC_VOCABULARIES[vocabulary]
        ):
            activity.error(sector, _("“%(code)s” is not a DAC sector code.") % {"code": code})
            continue
        activity.sectors.append((code, vocabulary, percentage(activity, sector)))
    for location in children(element, "location"):
        point = child(location, "point")
        pos = child(point, "pos") if point is not None else None
        if pos is None:
            continue
        try:
            latitude, longitude = (Decimal(part) for part in (pos.text or "").split())
        except (ValueError, InvalidOperation):
            activity.error(
                pos, _("“%(value)s” is not a latitude and a longitude.") % {"value": pos.text}
            )
            continue
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            activity.error(
                pos, _("“%(value)s” is not a latitude and a longitude.") % {"value": pos.text}
            )
            continue
        names = narratives(child(location, "name"), activity.default_language, activity)
        activity.locations.append(
            Location(names=names, latitude=round(latitude, 4), longitude=round(longitude, 4))
        )


def read_dates(activity, element):
    for date in children(element, "activity-date"):
        kind = DATE_TYPES.get((date.get("type") or "").strip())
        if kind is None:
            activity.error(
                date, _("type “%(type)s” is not one of 1 to 4.") % {"type": date.get("type")}
            )
            continue
        value = read_date(activity, date)
        if value is not None:
            activity.dates[kind] = value
    status = child(element, "activity-status")
    if status is not None:
        activity.status = (status.get("code") or "").strip()


def currency_of(activity, value):
    return (
        ((value.get("currency") or "").strip().upper() or activity.default_currency)
        if value is not None
        else ""
    )


def read_money(activity, element):
    for budget in children(element, "budget"):
        value = child(budget, "value")
        start, end = child(budget, "period-start"), child(budget, "period-end")
        if value is None or start is None or end is None:
            activity.error(budget, _("a budget needs a period-start, a period-end and a value."))
            continue
        amount = read_number(activity, value, value.text, "value")
        currency = currency_of(activity, value)
        if not currency:
            activity.error(value, _("a value with no currency, and no default currency."))
        if amount is None or not currency:
            continue
        activity.budgets.append(
            {
                "type": (budget.get("type") or "1").strip(),
                "status": (budget.get("status") or "1").strip(),
                "start": read_date(activity, start),
                "end": read_date(activity, end),
                "value": amount,
                "currency": currency,
            }
        )
    for transaction in children(element, "transaction"):
        kind_element = child(transaction, "transaction-type")
        kind = (
            TRANSACTION_TYPES.get((kind_element.get("code") or "").strip())
            if kind_element is not None
            else None
        )
        value = child(transaction, "value")
        if kind is None or value is None:
            continue
        amount = read_number(activity, value, value.text, "value")
        currency = currency_of(activity, value)
        if not currency:
            activity.error(value, _("a value with no currency, and no default currency."))
        if amount is None or not currency:
            continue
        key = (kind, currency)
        activity.transactions[key] = activity.transactions.get(key, Decimal(0)) + amount


def read_links(activity, element):
    for related in children(element, "related-activity"):
        ref = (related.get("ref") or "").strip()
        if ref:
            activity.related.append(((related.get("type") or "").strip(), ref))
    for link in children(element, "document-link"):
        url = (link.get("url") or "").strip()
        if not url.startswith(("http://", "https://")) or len(url) > 500:
            activity.error(link, _("“%(url)s” is not a web address.") % {"url": url[:100]})
            continue
        language = child(link, "language")
        date = child(link, "document-date")
        activity.documents.append(
            Document(
                url=url,
                titles=narratives(child(link, "title"), activity.default_language, activity),
                language=language_of(language.get("code")) if language is not None else "",
                date=read_date(activity, date) if date is not None else None,
            )
        )
    for contact in children(element, "contact-info"):
        found = {}
        for name in ("organisation", "department", "person-name", "job-title", "mailing-address"):
            texts = narratives(child(contact, name), activity.default_language, activity)
            if texts:
                found[name] = texts
        for name in ("telephone", "email", "website"):
            value = child(contact, name)
            if value is not None and (value.text or "").strip():
                found[name] = value.text.strip()
        if found:
            activity.contacts.append(found)


READERS = (
    read_publisher,
    read_texts,
    read_participants,
    read_places,
    read_dates,
    read_money,
    read_links,
)
