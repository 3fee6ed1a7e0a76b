"""Keep derived data current. The cached counts (ecosystem.core.cache) are made old by
any change to a record. The folded search columns (Publishable.search_names,
search_text) follow what they copy from elsewhere: a record's countries or sectors, from
either side, added, removed or cleared; a sector renamed; a country or sector deleted.
The command `rebuild_search` recomputes them all, for what no signal sees (a bulk
`update()`)."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from ecosystem.core import cache
from ecosystem.core.history import has_history
from ecosystem.core.models import Country, Publishable, Sector


def publishable_models():
    return [model for model in Publishable.__subclasses__() if not model._meta.abstract]


def refresh(records):
    for record in records:
        record.refresh_search_fields()


def refresh_on_m2m_change(sender, instance, action, reverse, model, pk_set, **kwargs):
    if not reverse:
        if action in {"post_add", "post_remove", "post_clear"}:
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


@receiver(post_save, sender=Sector, dispatch_uid="search-sector-renamed")
def refresh_on_sector_save(sender, instance, created, raw=False, **kwargs):
    if created or raw:
        return
    for model in publishable_models():
        refresh(model.objects.filter(pk__in=linked(instance, model)))


@receiver(pre_delete, sender=Country, dispatch_uid="search-country-deleting")
@receiver(pre_delete, sender=Sector, dispatch_uid="search-sector-deleting")
def note_records_of_deleted_hub(sender, instance, **kwargs):
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
