"""Text stored before the directory cleaned it (ecosystem.core.text): control and
bidirectional characters came in raw through imports and forms. Each record whose text
changes gets a version in its history, with the reason "clean-text" and its relations
as they are, so that what was removed can be seen there."""

from django.db import migrations
from django.db.models import F
from django.utils import timezone

from ecosystem.core.text import clean_text, is_text_field

DIRECTORY_APPS = ["ecosystem", "members", "programmes", "events"]
CHUNK = 2000


def clean_existing_text(apps, schema_editor):
    now = timezone.now()
    changed = 0
    for label in DIRECTORY_APPS:
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            changed += clean_model(apps, model, now)
    if changed:
        # Cached pages and counts hold the old text (ecosystem.core.cache).
        DataVersion = apps.get_model("ecosystem", "DataVersion")
        DataVersion.objects.filter(pk=1).update(number=F("number") + 1)


def clean_model(apps, model, now):
    """Clean the text of `model`'s records; returns how many changed."""
    fields = [field for field in model._meta.concrete_fields if is_text_field(field)]
    if not fields:
        return 0
    pk = model._meta.pk.attname
    names = [field.attname for field in fields]
    multiline = {field.attname: field.get_internal_type() == "TextField" for field in fields}
    dirty = {}
    for row in model.objects.order_by(pk).values(pk, *names).iterator(chunk_size=CHUNK):
        cleaned = {name: clean_text(row[name], multiline[name]) for name in names}
        cleaned = {name: value for name, value in cleaned.items() if value != row[name]}
        if cleaned:
            dirty[row[pk]] = cleaned
    for key, cleaned in dirty.items():
        model.objects.filter(pk=key).update(**cleaned)
        write_version(apps, model, model.objects.get(pk=key), now)
    return len(dirty)


def write_version(apps, model, record, now):
    """A version of `record` as it now stands, as django-simple-history writes one."""
    label, name = model._meta.app_label, model.__name__
    try:
        versions = apps.get_model(label, f"Historical{name}")
    except LookupError:
        return  # a model without history (the data's version, the counts)
    own = {field.attname for field in model._meta.concrete_fields}
    version = versions.objects.create(
        **{
            field.attname: getattr(record, field.attname)
            for field in versions._meta.concrete_fields
            if field.attname in own and not field.primary_key
        },
        history_date=now,
        history_type="~",
        history_change_reason="clean-text",
    )
    for field in model._meta.many_to_many:
        try:
            linked = apps.get_model(label, f"Historical{name}_{field.name}")
        except LookupError:
            continue  # a relation the history does not keep
        through = field.remote_field.through
        columns = {f.attname for f in linked._meta.concrete_fields if not f.primary_key}
        linked.objects.bulk_create(
            linked(
                history=version,
                **{
                    f.attname: getattr(row, f.attname)
                    for f in through._meta.concrete_fields
                    if f.attname in columns
                },
            )
            for row in through.objects.filter(**{field.m2m_field_name(): record.pk})
        )


class Migration(migrations.Migration):
    dependencies = [
        ("ecosystem", "0007_editor_and_publisher_groups"),
        ("members", "0010_organization_logo"),
        ("programmes", "0010_publish_permission"),
        ("events", "0009_publish_permission"),
    ]

    operations = [migrations.RunPython(clean_existing_text, migrations.RunPython.noop)]
