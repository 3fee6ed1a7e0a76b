"""Keep the folded search columns current when what they copy changes elsewhere: a
record's countries or sectors (the admin saves those after the record), or a sector's
names."""

from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from ecosystem.core.models import Publishable, Sector


def publishable_models():
    return [model for model in Publishable.__subclasses__() if not model._meta.abstract]


def refresh_on_m2m_change(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        instance.refresh_search_fields()
        return
    # country.programmes.add(...): the records are on the other side.
    for record in model.objects.filter(pk__in=pk_set or []):
        record.refresh_search_fields()


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
        for record in model.objects.filter(sectors=instance):
            record.refresh_search_fields()
