"""How many published records of each type each country and sector has, and in all:
kept in a table, so that the home page, the country and sector indexes and an
unfiltered list's facets read a few hundred rows instead of counting a million.

A record's save or delete and a change of its own countries or sectors add or take one
from the counts it enters or leaves (`contributions()` before and after, `adjust()`), in
the same transaction: a few rows, whatever the size of the directory (signals in
ecosystem.core.signals). What changes many records at once recounts the hubs it touches,
with grouped queries (`recount()`): a country's or sector's own list of records changed
from its side, a sector moved under another, a hub deleted; bulk writes that send no
signal (demo data, an import's new records, a restore) recount everything, and so does a
table that holds no count yet, on first read; `recount_all` (nightly, and
`manage.py recount`) repairs and logs any drift. A main sector counts the records of its
sub-sectors too, each once, as the sector filter finds them.
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.db import models, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils.translation import gettext_lazy as _

from ecosystem.core.cache import bump, cached
from ecosystem.core.registry import registry
from ecosystem.jobs.engine import job
from ecosystem.jobs.schedule import scheduled

logger = logging.getLogger(__name__)

COUNTRY, SECTOR, ALL = "country", "sector", "all"


class HubCount(models.Model):
    """The number of published records of one type in one country or sector (or in all,
    `hub_kind` "all")."""

    record_type = models.CharField(max_length=40)
    hub_kind = models.CharField(max_length=10)
    hub = models.CharField(max_length=80, blank=True)  # a country code or a sector's pk
    count = models.PositiveIntegerField()

    class Meta:
        app_label = "ecosystem"
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "hub_kind", "hub"], name="hub_count_unique"
            )
        ]

    def __str__(self):
        return f"{self.record_type} {self.hub_kind} {self.hub}: {self.count}"


def counts():
    """{record type key: {"country": {code: n}, "sector": {pk: n}, "all": n}}."""
    return cached("hub-counts", read)


def read():
    rows = list(HubCount.objects.values_list("record_type", "hub_kind", "hub", "count"))
    if not rows:  # never counted (a new table): count now, even inside a request
        count_now(None, None, None)
        rows = list(HubCount.objects.values_list("record_type", "hub_kind", "hub", "count"))
    found = {t.key: {COUNTRY: {}, SECTOR: {}, ALL: 0} for t in registry}
    for key, kind, hub, count in rows:
        if key not in found:
            continue
        if kind == ALL:
            found[key][ALL] = count
        else:
            found[key][kind][int(hub) if kind == SECTOR else hub] = count
    return found


def sector_families(sector_pks):
    """The sectors whose counts depend on these: each one's main sector and all of that
    main sector's sub-sectors."""
    sectors = apps.get_model("ecosystem", "Sector").objects
    mains = {
        parent or pk for pk, parent in sectors.filter(pk__in=sector_pks).values_list("pk", "parent")
    }
    family = sectors.filter(models.Q(pk__in=mains) | models.Q(parent__in=mains))
    return set(family.values_list("pk", flat=True))


# What a block of work (a request, a seed) has touched, recounted once at its end.
pending = ContextVar("pending_recounts", default=None)


@contextmanager
def deferred():
    """Recount once, at the end of the block, what the saves inside it touched: a form
    saved with its countries and sectors, or a seed of a hundred records, recounts each
    hub once rather than at every save and link."""
    if pending.get() is not None:  # inside another block: that one recounts
        yield
        return
    touched = {}
    token = pending.set(touched)
    try:
        yield
    finally:
        pending.reset(token)
        for model, (countries, sectors) in touched.items():
            recount(model, countries, sectors)
        if touched:
            # Results cached between the saves and this recount hold the old counts.
            if None in touched:
                bump()
            else:
                bump(*(t.key for t in registry if t.model in touched))


def contributions(model, pk):
    """The counts a record of `model` adds one to, as the database holds it now:
    {(type key, hub kind, hub)} for each type that publishes it, its total, its countries,
    its sectors and their main sectors."""
    keys = [t.key for t in registry if t.model is model and t.published().filter(pk=pk).exists()]
    if not keys:
        return set()
    hubs = {(ALL, "")}
    hubs |= {(COUNTRY, code) for code in links(model, "countries", pk)}
    for sector, parent in links(model, "sectors", pk, "parent"):
        hubs |= {(SECTOR, str(sector))} | ({(SECTOR, str(parent))} if parent else set())
    return {(key, kind, hub) for key in keys for kind, hub in hubs}


def links(model, name, pk, *more):
    """The pks (and `more` of each hub: "parent") of a record's countries or sectors."""
    field = model._meta.get_field(name)
    hub = field.m2m_reverse_field_name()
    rows = field.remote_field.through.objects.filter(**{field.m2m_field_name(): pk})
    if more:
        return rows.values_list(f"{hub}_id", *(f"{hub}__{m}" for m in more))
    return rows.values_list(f"{hub}_id", flat=True)


def adjust(model, before, after):
    """One more in each count a record entered, one less in each it left. A type never
    counted yet (a new table, a new type) is counted whole instead, once."""
    changes = [(hub, 1) for hub in after - before] + [(hub, -1) for hub in before - after]
    if not changes:
        return
    keys = {key for (key, _kind, _hub), _step in changes}
    counted = set(
        HubCount.objects.filter(record_type__in=keys, hub_kind=ALL).values_list(
            "record_type", flat=True
        )
    )
    if counted != keys:
        recount(model)
        return
    for (key, kind, hub), step in changes:
        rows = HubCount.objects.filter(record_type=key, hub_kind=kind, hub=hub)
        if not rows.update(count=Greatest(F("count") + step, 0)) and step > 0:
            HubCount.objects.create(record_type=key, hub_kind=kind, hub=hub, count=1)
        elif step < 0 and kind != ALL:
            rows.filter(count=0).delete()  # a hub with none is not kept, as by a count


def merge(known, more):
    return None if known is None or more is None else known | set(more)


def recount(model=None, countries=None, sectors=None):
    """Count again, for the types of `model` (every type if None), the given countries
    and sectors (pks; None: all of them, and the totals)."""
    touched = pending.get()
    if touched is None:
        return count_now(model, countries, sectors)
    if countries is None and sectors is None:
        touched[model] = (None, None)
    else:
        known = touched.get(model, (set(), set()))
        touched[model] = (
            merge(known[0], countries or ()),
            merge(known[1], sectors or ()),
        )


@transaction.atomic
def count_now(model, countries, sectors):
    if countries is None and sectors is None:
        only_countries = only_sectors = None
    else:
        only_countries = set(countries or ())
        only_sectors = set(sectors or ()) | sector_families(sectors or ())
    hubs = [
        (COUNTRY, apps.get_model("ecosystem", "Country").objects, only_countries),
        (SECTOR, apps.get_model("ecosystem", "Sector").objects, only_sectors),
    ]
    for record_type in registry:
        if model is not None and record_type.model is not model:
            continue
        records = record_type.published()
        rows = []
        for kind, hub_objects, only in hubs:
            if only is not None and not only:
                continue
            stale = HubCount.objects.filter(record_type=record_type.key, hub_kind=kind)
            if only is not None:
                stale = stale.filter(hub__in=[str(pk) for pk in only])
            stale.delete()
            per_hub = hub_objects.counts_per_hub(records, only)
            rows += [
                HubCount(record_type=record_type.key, hub_kind=kind, hub=str(pk), count=n)
                for pk, n in per_hub.items()
                if n and (only is None or pk in only)
            ]
        HubCount.objects.filter(record_type=record_type.key, hub_kind=ALL).delete()
        rows.append(
            HubCount(record_type=record_type.key, hub_kind=ALL, hub="", count=records.count())
        )
        HubCount.objects.bulk_create(rows)


def kept():
    return {
        (key, kind, hub): n
        for key, kind, hub, n in HubCount.objects.values_list(
            "record_type", "hub_kind", "hub", "count"
        )
    }


@job(title=_("Recount the kept counts"))
def recount_all():
    """Count everything again, nightly: the counts are kept current on every path that
    changes them, so any drift found here (logged) is a path that forgot to."""
    return repair()


def repair(tick=None):
    """Count every type again (calling `tick()` after each model), log and make old what
    had drifted; returns {"hubs": n, "drifted": n}."""
    before = kept()
    for model in dict.fromkeys(t.model for t in registry):
        count_now(model, None, None)
        if tick:
            tick()
    after = kept()
    drift = sorted(hub for hub in before.keys() | after.keys() if before.get(hub) != after.get(hub))
    if drift and before:  # an empty table was never counted: nothing had drifted
        logger.warning(
            "kept counts had drifted on %s hubs: %s",
            len(drift),
            ", ".join(f"{key} {kind} {hub}".strip() for key, kind, hub in drift[:20]),
        )
        bump(*{key for key, _kind, _hub in drift})
    return {"hubs": len(after), "drifted": len(drift) if before else 0}


scheduled(recount_all, at="03:30")


def recount_after_request(get_response):
    """Middleware: what a request saves (a record with its countries and sectors, a bulk
    action on fifty records) is recounted once, after the view."""

    def middleware(request):
        with deferred():
            return get_response(request)

    return middleware
