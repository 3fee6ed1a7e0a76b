"""Keep derived data current. The cached results (ecosystem.core.cache) are made old by
a change to what they show: a record's save, delete or change of links bumps the version
of its type (and its own, for a type shown by record), a change to a row that belongs to
records (a role, a membership) those of the records it names, and any other change to
the directory's data (a source, a country) the version of everything. The counts per
country and sector (ecosystem.core.counts) follow a record's save, delete and its own
links by one, and are recounted for a hub whose list of records changed from its side,
and for every sector when one moves under another. The folded search columns
(Publishable.search_names, search_text) follow what they copy from elsewhere: a
record's countries or sectors, from either side, added, removed or cleared; a sector
renamed; a country or sector deleted.
The command `rebuild_search` recomputes them all, for what no signal sees (a bulk
`update()`). And every record's text is cleaned before it is saved (ecosystem.core.text)."""

from contextlib import suppress

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_init,
    post_save,
    pre_delete,
    pre_save,
)
from django.dispatch import receiver

from ecosystem.core import cache, counts, warm
from ecosystem.core.history import has_history
from ecosystem.core.models import Country, Publishable, Sector
from ecosystem.core.text import clean_model_text


def publishable_models():
    return [model for model in Publishable.__subclasses__() if not model._meta.abstract]


def refresh(records):
    for record in records:
        record.refresh_search_fields()


def refresh_on_m2m_change(sender, instance, action, reverse, model, pk_set, **kwargs):
    if not reverse:
        # Made already with the links the record is getting (Publishable.save).
        if action in {"post_add", "post_remove", "post_clear"} and not hasattr(
            instance, "links_to_come"
        ):
            instance.refresh_search_fields()
        return
    # country.programmes.add(...): the records are on the other side. A clear names
    # none: note them before it.
    if action == "pre_clear":
        instance._records_before_clear = list(model.objects.filter(pk__in=linked(instance, model)))
    elif action == "post_clear":
        refresh(getattr(instance, "_records_before_clear", []))
    elif action in {"post_add", "post_remove"}:
        refresh(model.objects.filter(pk__in=pk_set or []))


def linked(hub, model):
    """The pks of `model` records tied to a country or sector."""
    field = "countries" if isinstance(hub, Country) else "sectors"
    return model.objects.filter(**{field: hub}).values("pk")


def connect():
    for model in publishable_models():
        for field in ("countries", "sectors"):
            m2m_changed.connect(
                refresh_on_m2m_change,
                sender=getattr(model, field).through,
                dispatch_uid=f"search-{model._meta.label}-{field}",
            )
            m2m_changed.connect(
                count_on_link_change(field),
                sender=getattr(model, field).through,
                weak=False,
                dispatch_uid=f"counts-{model._meta.label}-{field}",
            )
        label = model._meta.label
        pre_save.connect(note_counted, sender=model, dispatch_uid=f"counts-saving-{label}")
        post_save.connect(count_on_save, sender=model, dispatch_uid=f"counts-{label}")
        pre_delete.connect(note_counted, sender=model, dispatch_uid=f"counts-deleting-{label}")
        post_delete.connect(count_on_delete, sender=model, dispatch_uid=f"counts-{label}-gone")
        # The records of a type shown by record, on a page being kept (ecosystem.core.cache).
        post_init.connect(cache.note_shown, sender=model, dispatch_uid=f"cache-shown-{label}")


def note_counted(sender, instance, raw=False, **kwargs):
    """Before a save or a delete: what the record counts in, as stored."""
    if not raw:  # a fixture being loaded: its command recounts at the end
        stored = instance.pk is not None and sender.objects.filter(pk=instance.pk).exists()
        instance._counted = counts.contributions(sender, instance.pk) if stored else set()


def count_on_save(sender, instance, raw=False, **kwargs):
    if not raw:
        counts.adjust(sender, instance._counted, counts.contributions(sender, instance.pk))


def count_on_delete(sender, instance, **kwargs):
    counts.adjust(sender, getattr(instance, "_counted", set()), set())


def count_on_link_change(field):
    """A receiver for changes to the links of one field ("countries" or "sectors")."""

    def as_hubs(pks):
        pks = set(pks)
        return (pks, set()) if field == "countries" else (set(), pks)

    def receiver(sender, instance, action, reverse, model, pk_set, **kwargs):
        if reverse:
            # country.programmes.add(...): one hub, any number of records on the other
            # side: counted again.
            if action in {"post_add", "post_remove", "post_clear"}:
                counts.recount(model, *as_hubs({instance.pk}))
        elif action.startswith("pre_"):
            instance._counted = counts.contributions(type(instance), instance.pk)
        else:
            model = type(instance)
            counts.adjust(model, instance._counted, counts.contributions(model, instance.pk))

    return receiver


@receiver(post_save, sender=Sector, dispatch_uid="search-sector-renamed")
def refresh_on_sector_save(sender, instance, created, raw=False, **kwargs):
    if created or raw:
        return
    # It may have moved under another main sector: every sector's count may change.
    counts.recount(countries=set(), sectors=set(Sector.objects.values_list("pk", flat=True)))
    for model in publishable_models():
        refresh(model.objects.filter(pk__in=linked(instance, model)))


@receiver(pre_delete, sender=Country, dispatch_uid="search-country-deleting")
@receiver(pre_delete, sender=Sector, dispatch_uid="search-sector-deleting")
def note_records_of_deleted_hub(sender, instance, **kwargs):
    if isinstance(instance, Sector):
        instance._family_before_delete = counts.sector_families([instance.pk])
    instance._records_before_delete = [
        record
        for model in publishable_models()
        for record in model.objects.filter(pk__in=linked(instance, model))
    ]


@receiver(post_delete, sender=Country, dispatch_uid="search-country-deleted")
@receiver(post_delete, sender=Sector, dispatch_uid="search-sector-deleted")
def refresh_on_hub_delete(sender, instance, **kwargs):
    # The links are gone with the hub: the records no longer mention its names.
    refresh(getattr(instance, "_records_before_delete", []))
    if isinstance(instance, Country):
        counts.recount(countries={instance.pk}, sectors=set())
    else:
        counts.recount(countries=set(), sectors=getattr(instance, "_family_before_delete", set()))


@receiver(pre_save, dispatch_uid="clean-text")
def clean_text_on_save(sender, instance, raw=False, **kwargs):
    """Every save of the directory's data (a form, the admin, an import, the seed, an
    accepted suggestion, a revert) stores clean text (ecosystem.core.text). A fixture
    or a backup being loaded (`raw`) is stored as it was written."""
    if not raw and has_history(sender):
        clean_model_text(instance)


@receiver(pre_save, dispatch_uid="cache-saving")
@receiver(pre_delete, dispatch_uid="cache-deleting")
def note_stored(sender, instance, raw=False, **kwargs):
    """The row as stored, for what it showed before the change (an SME becoming an
    association; a role moved to another programme)."""
    if not raw and has_history(sender) and instance.pk is not None:
        instance._stored = sender.objects.filter(pk=instance.pk).first()


@receiver(post_save, dispatch_uid="cache-saved")
@receiver(post_delete, dispatch_uid="cache-deleted")
def bump_on_change(sender, instance, raw=False, **kwargs):
    """A change to the directory's data makes old the results that show it."""
    if raw or not has_history(sender):
        return
    transaction.on_commit(warm.soon)
    rows = [row for row in (getattr(instance, "_stored", None), instance) if row is not None]
    if issubclass(sender, Publishable):
        cache.bump_records(rows)
        return
    records = [record for row in rows for record in records_named(row)]
    if records:
        cache.bump_records(records)
    else:  # not a record's: a source, a country, a sector
        cache.bump()


def records_named(row):
    """The records a row belongs to (a role's programme and organization)."""
    records = []
    for field in row._meta.concrete_fields:
        if field.is_relation and issubclass(field.related_model, Publishable):
            with suppress(ObjectDoesNotExist):  # deleted with it, just before
                records.append(getattr(row, field.name))
    return [record for record in records if record is not None]


@receiver(m2m_changed, dispatch_uid="cache-linked")
def bump_on_links(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not (has_history(type(instance)) or has_history(model)):
        return
    transaction.on_commit(warm.soon)
    records = [instance] if isinstance(instance, Publishable) else []
    if issubclass(model, Publishable):
        others = getattr(instance, "_records_before_clear", None)
        if action == "post_clear" and others is None:
            cache.bump()  # which records were linked is not known
            return
        records += others if action == "post_clear" else model.objects.filter(pk__in=pk_set or ())
    if records:
        cache.bump_records(records)
    else:
        cache.bump()
