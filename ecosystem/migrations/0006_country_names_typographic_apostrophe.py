from django.db import migrations


def typographic(apps, schema_editor):
    """Country names copied before names took the typographic apostrophe: "Côte d’Ivoire"."""
    Country = apps.get_model("ecosystem", "Country")
    for country in Country.objects.filter(name_fr__contains="'") | Country.objects.filter(
        name_en__contains="'"
    ):
        country.name_en = country.name_en.replace("'", "’")
        country.name_fr = country.name_fr.replace("'", "’")
        country.save(update_fields=["name_en", "name_fr"])


class Migration(migrations.Migration):
    dependencies = [("ecosystem", "0005_source_outside")]

    operations = [migrations.RunPython(typographic, migrations.RunPython.noop)]
