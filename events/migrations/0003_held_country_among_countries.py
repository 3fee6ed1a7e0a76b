from django.db import migrations


def add_held_country(apps, schema_editor):
    """Every event's country where held is among its countries (Event.save keeps it so
    from now on). Links that exist already are left alone."""
    Event = apps.get_model("events", "Event")
    links = Event.countries.through
    links.objects.bulk_create(
        [
            links(event_id=pk, country_id=country)
            for pk, country in Event.objects.exclude(country=None).values_list("pk", "country")
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("events", "0002_history")]

    operations = [migrations.RunPython(add_held_country, migrations.RunPython.noop)]
