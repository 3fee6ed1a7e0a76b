"""The default DAC-sector mapping, for the sectors the directory has: staff edit it in
the admin. Codes with no sector of the directory (25010 business policy, 32130 SME
development) are left out: the import keeps and lists them until staff map them."""

from django.db import migrations

# DAC 5-digit codes first, then 3-digit categories covering their other codes.
DEFAULT = {
    "22040": "digital-technology",  # Information and communication technology (ICT)
    "32182": "technology-parks",  # Technological research and development
    "32161": "agri-food-processing",  # Agro-industries
    "220": "digital-technology",  # Communications
    "311": "agribusiness",  # Agriculture
    "331": "trade-export-promotion",  # Trade policies and regulations (and facilitation)
}


def seed(apps, schema_editor):
    SectorMapping = apps.get_model("iati", "SectorMapping")
    for code, slug in DEFAULT.items():
        SectorMapping.objects.get_or_create(code=code, defaults={"sector_slug": slug})


def unseed(apps, schema_editor):
    SectorMapping = apps.get_model("iati", "SectorMapping")
    for code, slug in DEFAULT.items():
        SectorMapping.objects.filter(code=code, sector_slug=slug).delete()


class Migration(migrations.Migration):
    dependencies = [("iati", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
