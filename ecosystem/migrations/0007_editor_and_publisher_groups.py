"""The staff roles (docs/staff.md, "Staff roles"): Editors create and edit records, drafts and
submissions for review, and never publish; Publishers also publish, unpublish, archive,
revert and delete. Run again, it brings the groups' permissions up to date."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DIRECTORY_APPS = ["ecosystem", "members", "programmes", "events"]
# Kept by the site itself, never edited by hand.
INTERNAL_MODELS = {"dataversion", "hubcount"}


def create_groups(apps, schema_editor):
    # Permissions are made after migrations; these groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    models = [
        model._meta.model_name
        for label in DIRECTORY_APPS
        for model in apps.get_app_config(label).get_models()
        if not model._meta.model_name.startswith("historical")
        and model._meta.model_name not in INTERNAL_MODELS
    ]
    directory = Permission.objects.filter(
        content_type__app_label__in=DIRECTORY_APPS, content_type__model__in=models
    )
    editing = directory.filter(codename__regex=r"^(add|change|view)_")
    editor, _created = Group.objects.get_or_create(name="Editor")
    editor.permissions.set(editing)
    publisher, _created = Group.objects.get_or_create(name="Publisher")
    publisher.permissions.set(
        directory.filter(codename__regex=r"^(add|change|view|delete|publish)_")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("ecosystem", "0006_country_names_typographic_apostrophe"),
        ("members", "0009_publish_permission"),
        ("programmes", "0010_publish_permission"),
        ("events", "0009_publish_permission"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
