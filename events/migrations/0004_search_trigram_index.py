from django.db import migrations

from ecosystem.core.search import trigram_index


class Migration(migrations.Migration):
    dependencies = [("events", "0003_held_country_among_countries")]

    operations = [trigram_index("events_event")]
