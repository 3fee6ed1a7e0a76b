"""Issue 21, for rows still as the seed wrote them: the pilot's "one third" keeps the
source's words beside its number, NTF VI is hoped for (not a programme yet), and NTF VI
names OPTIC's president from ITC's undated article."""

from decimal import Decimal

from django.db import migrations

from ecosystem.opendata.seed_migrations import bump_data_version, replace_if_unchanged, replace_texts

SEEDED_TEXTS = {'ntf-vi': {'description_en': ('Launching an appeal to national and international partners to '
                               'continue OPTIC’s work, its president Antoine Ngom hopes that '
                               'a future NTF VI project will be part of it. No dates, funding '
                               'or scope are given.',
                               'Launching an appeal to national and international partners to '
                               'continue OPTIC’s work, Antoine Ngom, its president according '
                               'to ITC’s undated article, hopes that a future NTF VI project '
                               'will be part of it. No dates, funding or scope are given.'),
            'description_fr': ('Lançant un appel aux partenaires nationaux et internationaux '
                               'pour poursuivre l’action de l’OPTIC, son président Antoine '
                               'Ngom espère qu’un futur projet NTF VI en fera partie. Aucune '
                               'date, aucun financement ni périmètre ne sont indiqués.',
                               'Lançant un appel aux partenaires nationaux et internationaux '
                               'pour poursuivre l’action de l’OPTIC, Antoine Ngom, son '
                               'président selon l’article non daté de l’ITC, espère qu’un '
                               'futur projet NTF VI en fera partie. Aucune date, aucun '
                               'financement ni périmètre ne sont indiqués.'),
            'summary_en': ('A possible future sixth phase of the Netherlands Trust Fund that '
                           'OPTIC’s president hopes will support OPTIC’s next steps; the '
                           'source does not say it has been decided.',
                           'A possible future sixth phase of the Netherlands Trust Fund that '
                           'Antoine Ngom, OPTIC’s president according to ITC’s undated '
                           'article, hopes will support OPTIC’s next steps; the source does '
                           'not say it has been decided.'),
            'summary_fr': ('Un éventuel futur sixième volet du Fonds fiduciaire néerlandais '
                           'dont le président de l’OPTIC espère le soutien ; la source ne dit '
                           'pas qu’il soit décidé.',
                           'Un éventuel futur sixième volet du Fonds fiduciaire néerlandais '
                           'dont Antoine Ngom, président de l’OPTIC selon l’article non daté '
                           'de l’ITC, espère le soutien ; la source ne dit pas qu’il soit '
                           'décidé.')}}

ONE_THIRD = {
    "label_en": "Share of requests handled with Tech-Dev’s remote technical support service "
    "(one third)",
    "label_fr": "Part des demandes traitées avec l’apport du Service d’Appui Technologique à "
    "Distance de Tech-Dev (un tiers)",
    "value": Decimal("33.33"),
    "qualifier": "about",
    "unit_en": "% of requests",
    "unit_fr": "% des demandes",
    "value_text_en": "",
    "value_text_fr": "",
}


def keep_the_source_s_form(apps, schema_editor):
    Programme = apps.get_model("programmes", "Programme")
    Indicator = apps.get_model("programmes", "Indicator")
    changed = replace_if_unchanged(
        apps,
        Indicator,
        {"programme__slug": "hub-iit-pilot"},
        ONE_THIRD,
        {"value_text_en": "one third of the requests", "value_text_fr": "un tiers des demandes"},
    )
    changed |= replace_if_unchanged(
        apps,
        Programme,
        {"slug": "ntf-vi"},
        {"name_en": "Netherlands Trust Fund VI (hoped-for)", "existence": "confirmed"},
        {"existence": "hoped_for"},
    )
    changed |= replace_texts(apps, Programme, SEEDED_TEXTS)
    if changed:
        bump_data_version(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0011_status_basis_existence_value_text"),
        ("ecosystem", "0008_clean_text"),
    ]

    operations = [migrations.RunPython(keep_the_source_s_form, migrations.RunPython.noop)]
