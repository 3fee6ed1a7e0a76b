"""Keep derived data current. The cached results (ecosystem.core.cache) are made old by
any change to a record. The counts per country and sector (ecosystem.core.counts) are
recounted for the hubs a record touches when it is saved or deleted or its countries or
sectors change, and for every sector when one moves under another. The folded search
columns (Publishable.search_names, search_text) follow what they copy from elsewhere: a
record's countries or sectors, from either side, added, removed or cleared; a sector
renamed; a country or sector deleted.
The command `rebuild_search` recomputes them all, for what no signal sees (a bulk
`update()`). And every record's text is cleaned before it is saved (ecosystem.core.text)."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from ecosystem.core import cache, counts
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
                recount_on_link_change(field),
                sender=getattr(model, field).through,
                weak=False,
                dispatch_uid=f"counts-{model._meta.label}-{field}",
            )
        label = model._meta.label
        post_save.connect(recount_on_save, sender=model, dispatch_uid=f"counts-{label}")
        pre_delete.connect(note_hubs, sender=model, dispatch_uid=f"counts-deleting-{label}")
        post_delete.connect(recount_on_delete, sender=model, dispatch_uid=f"counts-{label}-gone")


def hubs_of(record):
    """(country pks, sector pks) of a record's links."""
    return (
        set(record.countries.values_list("pk", flat=True)),
        set(record.sectors.values_list("pk", flat=True)),
    )


def recount_on_save(sender, instance, raw=False, **kwargs):
    if not raw:  # a fixture being loaded: its command recounts at the end
        # An import names the links the record is getting: no need to read them.
        links = getattr(instance, "links_to_come", None)
        countries, sectors = (
            ({c.pk for c in links[0]}, {s.pk for s in links[1]}) if links else hubs_of(instance)
        )
        counts.recount(sender, countries, sectors)


def note_hubs(sender, instance, **kwargs):
    instance._hubs_before_delete = hubs_of(instance)


def recount_on_delete(sender, instance, **kwargs):
    counts.recount(sender, *getattr(instance, "_hubs_before_delete", (None, None)))


def recount_on_link_change(field):
    """A receiver for changes to the links of one field ("countries" or "sectors")."""

    def as_hubs(pks):
        pks = set(pks)
        return (pks, set()) if field == "countries" else (set(), pks)

    def receiver(sender, instance, action, reverse, model, pk_set, **kwargs):
        if reverse:
            # country.programmes.add(...): one hub, the records on the other side.
            if action in {"post_add", "post_remove", "post_clear"}:
                counts.recount(model, *as_hubs({instance.pk}))
        elif action == "pre_clear":
            instance._hubs_before_clear = set(getattr(instance, field).values_list("pk", flat=True))
        elif action == "post_clear":
            counts.recount(type(instance), *as_hubs(instance._hubs_before_clear))
        elif action in {"post_add", "post_remove"}:
            counts.recount(type(instance), *as_hubs(pk_set or ()))

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


@receiver(post_save, dispatch_uid="cache-saved")
@receiver(post_delete, dispatch_uid="cache-deleted")
def bump_on_change(sender, raw=False, **kwargs):
    """Any change to the directory's records makes the cached counts old."""
    if not raw and has_history(sender):
        cache.bump()


@receiver(m2m_changed, dispatch_uid="cache-linked")
def bump_on_links(sender, instance, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"} and has_history(type(instance)):
        cache.bump()
