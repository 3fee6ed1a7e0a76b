from django.db import migrations

from ecosystem.core.search import search_vector


class Migration(migrations.Migration):
    dependencies = [("members", "0003_search_trigram_index")]

    operations = [search_vector("members_organization")]
