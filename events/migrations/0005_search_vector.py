from django.db import migrations

from ecosystem.core.search import search_vector


class Migration(migrations.Migration):
    dependencies = [("events", "0004_search_trigram_index")]

    operations = [search_vector("events_event")]
