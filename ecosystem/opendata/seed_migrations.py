"""What data migrations that correct seeded values share: a seeded value is replaced only where the
row still holds exactly what the seed wrote, and the change is kept in the record's
history as the seed's own (reason "seed migration"), so that a later
`seed_ecosystem --update` recognises it and staff see it in the history."""

from importlib import import_module

from django.db.models import F
from django.utils import timezone

# The helper that writes a version as django-simple-history writes one.
write_version = import_module("ecosystem.migrations.0008_clean_text").write_version

REASON = "seed migration"


def replace_if_unchanged(apps, model, lookup, expected, changes):
    """Set `changes` on the row found by `lookup` if it still holds every `expected`
    value; returns whether it did."""
    rows = model.objects.filter(**lookup, **expected)
    record = rows.first()
    if record is None:
        return False
    rows.update(**changes)
    record.refresh_from_db()
    now = timezone.now()
    write_version(apps, model, record, now)
    versions = apps.get_model(model._meta.app_label, f"Historical{model.__name__}")
    versions.objects.filter(id=record.pk, history_date=now).update(history_change_reason=REASON)
    return True


def bump_data_version(apps):
    """Cached pages and counts hold the old values (ecosystem.core.cache)."""
    DataVersion = apps.get_model("ecosystem", "DataVersion")
    DataVersion.objects.filter(pk=1).update(number=F("number") + 1)


def replace_texts(apps, model, texts):
    """`texts`: {slug: {field: (seeded value, new value)}}."""
    changed = False
    for slug, fields in texts.items():
        for field, (seeded, new) in fields.items():
            changed |= replace_if_unchanged(
                apps, model, {"slug": slug}, {field: seeded}, {field: new}
            )
    return changed
