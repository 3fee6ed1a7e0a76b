from django.db import migrations

from ecosystem.core.search import trigram_index


class Migration(migrations.Migration):
    dependencies = [("members", "0002_history")]

    operations = [trigram_index("members_organization")]
