"""Made the staff groups, Editor and Publisher, for the apps of the time. Their
permissions are now set after every migrate from the registry of record types
(ecosystem.core.database.set_staff_groups), so that a new type's app is covered with no
migration to write. Kept, empty: databases record it as applied and later migrations
depend on it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("ecosystem", "0006_country_names_typographic_apostrophe"),
        ("members", "0009_publish_permission"),
        ("programmes", "0010_publish_permission"),
        ("events", "0009_publish_permission"),
    ]

    operations = []
