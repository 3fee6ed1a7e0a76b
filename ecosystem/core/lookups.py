"""Finding countries, sectors and records by what a person would type (a code, a slug,
a name in either language, accents and case aside): shared by the spreadsheet import
(ecosystem.opendata.imports) and the suggestions' form and moderation, so that a
suggestion names a country the way an imported file does."""

from django.utils.translation import gettext as _

from ecosystem.core.models import Country, Sector
from ecosystem.core.search import fold


class Lookups:
    """Countries, sectors and records of a kind found by code, slug or name in either
    language, accents and case aside; loaded once per import."""

    def __init__(self):
        self.countries = {}
        for country in Country.objects.all():
            for key in (country.code, country.name_en, country.name_fr):
                self.countries[fold(key)] = country
        self.sectors = {}
        for sector in Sector.objects.all():
            for key in (sector.slug, sector.name_en, sector.name_fr):
                self.sectors[fold(key)] = sector
        self.records = {}  # (model, text): the record it names, or None

    def country(self, text):
        found = self.countries.get(fold(text))
        if found is None:
            raise ValueError(
                _("no country “%(value)s”: give its ISO code (SN) or its name.") % {"value": text}
            )
        return found

    def sector(self, text):
        found = self.sectors.get(fold(text))
        if found is None:
            raise ValueError(
                _("no sector “%(value)s”: give its name or its key.") % {"value": text}
            )
        return found

    def named(self, model, text):
        """A record of `model` by slug or name in either language (or acronym); each
        text is looked up once per import, however many rows name it."""
        key = (model, text)
        if key not in self.records:
            folded = fold(text)
            self.records[key] = (
                (
                    model.objects.filter(sort_en=folded) | model.objects.filter(sort_fr=folded)
                ).first()
                or model.objects.filter(slug=text).first()
                or model.objects.filter(acronym__iexact=text).first()
            )
        if self.records[key] is None:
            raise ValueError(
                _("no %(kind)s “%(value)s” in the directory.")
                % {"kind": model._meta.verbose_name, "value": text}
            )
        return self.records[key]
