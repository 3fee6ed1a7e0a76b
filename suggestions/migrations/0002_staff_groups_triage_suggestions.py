"""Editors and Publishers triage suggestions (docs/staff.md, "Staff roles")."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    mine = Permission.objects.filter(content_type__app_label="suggestions")
    for name, codenames in (
        ("Editor", ["view_suggestion", "change_suggestion"]),
        ("Publisher", ["view_suggestion", "change_suggestion", "delete_suggestion"]),
    ):
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*mine.filter(codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0001_initial"),
        ("ecosystem", "0007_editor_and_publisher_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
