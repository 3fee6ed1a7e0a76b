"""Gave Editors and Publishers the suggestions to triage. The groups' permissions are
now set after every migrate in one place (ecosystem.core.database.set_staff_groups;
suggestions/apps.py says what they may do to suggestions). Kept, empty: databases record
it as applied and later migrations depend on it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0001_initial"),
        ("ecosystem", "0007_editor_and_publisher_groups"),
    ]

    operations = []
