"""The shared core: countries, sectors, sources, and the bases every directory record
builds on (bilingual text, publication status, periods with precision)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Prefetch, Q
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _
from django_countries import countries as iso_countries

from ecosystem.core import counts
from ecosystem.core.dates import (
    PartialDateField,
    Precision,
    PrecisionField,
    format_partial,
    format_period,
    iso_partial,
    months_before,
)
from ecosystem.core.history import DERIVED_FIELDS, History
from ecosystem.core.registry import registry
from ecosystem.core.search import fold, search_key
from ecosystem.core.text import clean_model_text


class Translated:
    """The value of ``<field>_<language>`` for the active language, falling back to the
    other language when that one is empty. Two languages, two explicit columns: see
    docs/architecture.md for why this is not django-modeltranslation."""

    def __init__(self, short_description=None):
        self.short_description = short_description

    def __set_name__(self, owner, name):
        self.field = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        first = "en" if (translation.get_language() or "fr").startswith("en") else "fr"
        second = "fr" if first == "en" else "en"
        return getattr(instance, f"{self.field}_{first}") or getattr(
            instance, f"{self.field}_{second}"
        )


def validate_country_code(value):
    if value not in dict(iso_countries):
        raise ValidationError(
            _("%(value)s is not an ISO 3166-1 alpha-2 country code."), params={"value": value}
        )


class Region(models.TextChoices):
    WEST_AFRICA = "west_africa", _("West Africa")
    CENTRAL_AFRICA = "central_africa", _("Central Africa")
    EAST_AFRICA = "east_africa", _("East Africa")
    NORTH_AFRICA = "north_africa", _("North Africa")
    SOUTHERN_AFRICA = "southern_africa", _("Southern Africa")
    EUROPE = "europe", _("Europe")
    MIDDLE_EAST = "middle_east", _("Middle East")
    OTHER = "other", _("Other")


class HubQuerySet(models.QuerySet):
    """Countries and sectors, each a hub page listing the records tied to it."""

    field = ""  # the records' many-to-many field to hubs of this kind

    def with_record_counts(self):
        """The hubs, each with how many published records of each type (registry) it
        has, as `<type>_count` ("programmes_count"), and `record_count` for them all;
        read from the counts kept up to date (ecosystem.core.counts)."""
        hubs = list(self)
        kept = counts.counts()
        for hub in hubs:
            for record_type in registry:
                per_hub = kept[record_type.key][self.kind]
                setattr(hub, record_type.count_name, per_hub.get(hub.pk, 0))
            hub.record_count = sum(getattr(hub, t.count_name) for t in registry)
        return hubs

    def links(self, records, only=None):
        """The link rows between `records` and hubs (those whose pk is in `only`, if
        given), the link's hub column, and the count of distinct records (for groups in
        which a record may have several links)."""
        field = records.model._meta.get_field(self.field)
        hub = field.m2m_reverse_field_name()
        links = field.remote_field.through.objects.filter(
            **{f"{field.m2m_field_name()}__in": records.order_by().values("pk")}
        )
        if only is not None:
            links = links.filter(**{f"{hub}__in": only})
        return links, hub, Count(field.m2m_column_name(), distinct=True)

    def counts_per_hub(self, records, only=None):
        """{hub pk: how many of `records` it has}, counted by the database."""
        # A record links to a hub once: counting rows is counting records, and three
        # times faster than counting distinct ones (2.3 s → 0.7 s at a million SMEs).
        links, hub, _record = self.links(records, only)
        return dict(links.values_list(f"{hub}_id").annotate(Count("pk")))


class CountryQuerySet(HubQuerySet):
    field = "countries"
    kind = counts.COUNTRY


class SectorQuerySet(HubQuerySet):
    field = "sectors"
    kind = counts.SECTOR

    def counts_per_hub(self, records, only=None):
        # A main sector counts its sub-sectors' records too, each record once, as the
        # sector filter finds them: `only` must hold whole families (a main sector and
        # its sub-sectors, ecosystem.core.counts.sector_families).
        links, sector, record = self.links(records, only)
        main = Coalesce(f"{sector}__parent_id", f"{sector}_id")
        counts = dict(links.values_list(main).annotate(record))
        subsectors = links.filter(**{f"{sector}__parent__isnull": False})
        counts.update(subsectors.values_list(f"{sector}_id").annotate(Count("pk")))
        return counts


def iso_name(code, language):
    """A country's name from django-countries' ISO data, with the typographic apostrophe
    the rest of the site writes ("Côte d’Ivoire")."""
    with translation.override(language):
        return str(iso_countries.name(code)).replace("'", "’")


class Country(models.Model):
    """A country, keyed by its ISO code. Its names are copied from django-countries'
    maintained ISO data on save (never typed by hand) so that the database can search
    and sort by them in either language."""

    code = models.CharField(
        _("ISO code"),
        max_length=2,
        primary_key=True,
        validators=[validate_country_code],
        help_text=_("ISO 3166-1 alpha-2, e.g. SN"),
    )
    name_en = models.CharField(_("name (English)"), max_length=100, editable=False)
    name_fr = models.CharField(_("name (French)"), max_length=100, editable=False)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)

    name = Translated(_("name"))

    objects = CountryQuerySet.as_manager()
    history = History()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.code = self.code.upper()
        for language in ("en", "fr"):
            setattr(self, f"name_{language}", iso_name(self.code, language))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("country-detail", kwargs={"code": self.code})


class Sector(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, db_index=False)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent sector"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    name = Translated(_("name"))

    objects = SectorQuerySet.as_manager()
    history = History()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="sector_unique_slug"),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="sector_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("sector-detail", kwargs={"slug": self.slug})

    def clean(self):
        # Two levels (sector > sub-sector): filters and counts include sub-sectors.
        if self.parent and self.parent.parent_id:
            raise ValidationError(
                {"parent": _("A sub-sector cannot have sub-sectors: choose a main sector.")}
            )
        if self.pk and self.parent_id and self.children.exists():
            raise ValidationError(
                {"parent": _("This sector has sub-sectors, so it cannot become one.")}
            )


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class Source(models.Model):
    """A document a record was taken from; every seeded record cites one."""

    slug = models.SlugField(_("key"), max_length=80, db_index=False)
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    published = PartialDateField(_("publication date"), precision_field="published_precision")
    published_precision = PrecisionField(_("precision of the publication date"))
    url = models.URLField(_("URL"), max_length=500, blank=True)
    document = models.CharField(
        _("document name"),
        max_length=200,
        blank=True,
        help_text=_("The file or print reference when there is no URL."),
    )
    outside = models.BooleanField(
        _("outside source"),
        default=False,
        help_text=_(
            "A public reference that completes the directory's documents (an official "
            "website, a later article); its facts are marked as coming from outside."
        ),
    )

    history = History()

    class Meta:
        ordering = ["title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="source_unique_slug"),
            models.CheckConstraint(
                condition=~Q(url="", document=""), name="source_has_url_or_document"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def published_display(self):
        return format_partial(self.published, self.published_precision)


def fact_source(related_name="+"):
    """The source a relation row (a role, a site, a membership) or a group of fields
    (dates, budget) comes from: pages show it as a numbered note beside the fact."""
    return models.ForeignKey(
        Source,
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name=related_name,
        help_text=_("The document this fact comes from."),
    )


class Period(models.Model):
    """A start and an end, each with its precision. Stored as the first day of the start
    period and the last day of the end period (see ecosystem.core.dates)."""

    start = PartialDateField(_("start"), precision_field="start_precision")
    start_precision = PrecisionField(_("precision of the start"))
    end = PartialDateField(_("end"), precision_field="end_precision", at_end=True)
    end_precision = PrecisionField(_("precision of the end"))

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(end__gte=F("start")),
                name="%(app_label)s_%(class)s_end_not_before_start",
                violation_error_message=_("The end cannot be before the start."),
            ),
        ]

    @property
    def period(self):
        return format_period(self.start, self.start_precision, self.end, self.end_precision)

    @property
    def start_iso(self):
        """The start as precisely as it is known, for <time datetime>: 2019, 2019-06."""
        return iso_partial(self.start, self.start_precision)


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    REVIEW = "review", _("in review")
    PUBLISHED = "published", _("published")
    ARCHIVED = "archived", _("archived")


def stale_since(today=None):
    """The day before which a record's last check is too old: VERIFIED_RECENTLY_MONTHS
    before today."""
    return months_before(today or timezone.localdate(), settings.VERIFIED_RECENTLY_MONTHS)


def stale_condition(today=None):
    """Records nobody has checked for VERIFIED_RECENTLY_MONTHS: verified before that, or
    never verified and added before that."""
    cutoff = stale_since(today)
    return Q(last_verified__lt=cutoff) | Q(last_verified__isnull=True, created__date__lt=cutoff)


def last_check_index(name, condition=None):
    """An index in the order of `by_last_check()` (reversed: the home page's latest
    records) over the published records `condition` keeps, so that the latest six are
    read from its start rather than by sorting every record (a million SMEs)."""
    return models.Index(
        Coalesce("last_verified", TruncDate("created")).desc(),
        F("id").desc(),
        condition=Q(publication_status=PublicationStatus.PUBLISHED) & (condition or Q()),
        name=name,
    )


class PublishableQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        # A bulk write sends no pre_save signal: its records' text is cleaned here, as a
        # save cleans it (ecosystem.core.signals).
        objs = list(objs)
        for record in objs:
            clean_model_text(record)
        return super().bulk_create(objs, *args, **kwargs)

    def published(self):
        return self.filter(publication_status=PublicationStatus.PUBLISHED)

    def stale(self, today=None):
        return self.filter(stale_condition(today))

    def by_last_check(self):
        """The longest unchecked first."""
        return self.order_by(Coalesce("last_verified", TruncDate("created")), "pk")

    # What a list row, the API and a page need; each kind of record adds its own.
    def for_list(self):
        return self.prefetch_related("countries", "sectors")

    def for_api(self):
        return self.for_list().prefetch_related("sources")

    def for_detail(self):
        return self.for_api()


class Publishable(models.Model):
    """What organizations, programmes and events share: identity, bilingual text,
    where and in which sectors, where it comes from, and whether the public sees it."""

    slug = models.SlugField(_("slug"), max_length=120, db_index=False)
    name_en = models.CharField(_("name (English)"), max_length=250)
    name_fr = models.CharField(_("name (French)"), max_length=250)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    summary_en = models.CharField(_("summary (English)"), max_length=400, blank=True)
    summary_fr = models.CharField(_("summary (French)"), max_length=400, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries"), blank=True, related_name="%(class)ss"
    )
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), blank=True, related_name="%(class)ss"
    )
    sources = models.ManyToManyField(
        Source, verbose_name=_("sources"), blank=True, related_name="%(class)ss"
    )
    publication_status = models.CharField(
        _("publication status"),
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
    )
    last_verified = models.DateField(
        _("last verified on"),
        null=True,
        blank=True,
        help_text=_(
            "When staff last checked this record with the organization or a current "
            "source. Until then, what it says holds as of its sources' dates."
        ),
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    # Folded copies for search (ecosystem.core.search), kept current on save and when the
    # record's countries or sectors change (ecosystem.core.signals).
    search_names = models.TextField(editable=False, blank=True)
    search_text = models.TextField(editable=False, blank=True)
    # Names folded for sorting, so that "Événement" sorts with the E's whatever the
    # database's collation; each falls back to the other language like the page does.
    sort_en = models.CharField(max_length=250, editable=False, blank=True)
    sort_fr = models.CharField(max_length=250, editable=False, blank=True)

    name = Translated(_("name"))
    summary = Translated(_("summary"))
    description = Translated(_("description"))

    objects = PublishableQuerySet.as_manager()
    # One version per change, with the countries, sectors and sources at that time.
    history = History(
        inherit=True,
        m2m_fields=["countries", "sectors", "sources"],
        excluded_fields=DERIVED_FIELDS,
    )

    class Meta:
        abstract = True
        ordering = ["slug"]
        # Beside Django's four, the permission to publish, unpublish, archive and revert
        # ("publish_programme"): the Publisher group has it, the Editor group does not.
        # Every publishable type gets it by inheriting this Meta.
        default_permissions = ("add", "change", "delete", "view", "publish")
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="%(app_label)s_%(class)s_unique_slug"),
        ]

    def __str__(self):
        if self.acronym and self.acronym not in self.name:
            return f"{self.name} ({self.acronym})"
        return self.name

    def save(self, *args, **kwargs):
        # A caller about to set the links (an import) names them, so that the copies
        # are made once, with them (`links_to_come`: (countries, sectors)).
        countries, sectors = getattr(self, "links_to_come", (None, None))
        for name, value in self.derived_values(countries, sectors).items():
            setattr(self, name, value)
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        # Checked as it will be stored: an import validates its rows here, then writes
        # them in bulk (ecosystem.core.text). A name of nothing but control characters
        # is then an empty name, refused as one.
        clean_model_text(self)
        super().clean_fields(exclude)

    @property
    def is_published(self):
        return self.publication_status == PublicationStatus.PUBLISHED

    @property
    def as_of(self):
        """(date, precision) when what the record says was last known true: its latest
        dated source, or staff's last verification if later; None when neither is known.
        Reads the prefetched sources."""
        known = [(s.published, s.published_precision) for s in self.sources.all() if s.published]
        if self.last_verified:
            known.append((self.last_verified, Precision.DAY))
        return max(known, default=None, key=lambda date: date[0])

    def verified_recently(self, today):
        return bool(self.last_verified and self.last_verified >= stale_since(today))

    @property
    def last_checked(self):
        """The day staff last verified the record, or else the day it was added."""
        return self.last_verified or timezone.localtime(self.created).date()

    @property
    def verified_ago(self):
        """How long ago staff verified the record, in the active language's words ("3
        months"); empty when never, or today."""
        today = timezone.localdate()
        if not self.last_verified or self.last_verified >= today:
            return ""
        return timesince(self.last_verified, today, depth=1)

    @property
    def may_be_out_of_date(self):
        return self.created is not None and self.last_checked < stale_since()

    @property
    def short_name(self):
        """The acronym where there is one (pictures have little room)."""
        return self.acronym or self.name

    def folded_search_fields(self, countries=None, sectors=None):
        """(search_names, search_text) for the record as it stands, with these countries
        and sectors (by default its own: two queries once it is saved)."""
        if countries is None:
            countries = self.countries.all() if self.pk else []
        if sectors is None:
            sectors = self.sectors.all() if self.pk else []
        names = [self.name_en, self.name_fr, self.acronym]
        texts = [*names, self.summary_en, self.summary_fr, self.description_en, self.description_fr]
        for country in countries:
            texts += [country.code, country.name_en, country.name_fr]
        for sector in sectors:
            texts += [sector.name_en, sector.name_fr]
        return search_key(" ".join(names)), search_key(" ".join(texts))

    def refresh_search_fields(self):
        names, text = self.folded_search_fields()
        type(self).objects.filter(pk=self.pk).update(search_names=names, search_text=text)

    def derived_values(self, countries=None, sectors=None):
        """The copies kept for search and sorting, as they should be (see save())."""
        search_names, search_text = self.folded_search_fields(countries, sectors)
        return {
            "search_names": search_names,
            "search_text": search_text,
            "sort_en": fold(self.name_en or self.name_fr),
            "sort_fr": fold(self.name_fr or self.name_en),
        }

    @classmethod
    def rebuild_derived(cls, batch=500, tick=lambda: None):
        """Recompute every record's search and sort copies; returns how many were stale.
        For what no signal sees, such as a bulk update() of names."""
        stale = []
        records = cls.objects.order_by("pk").prefetch_related("countries", "sectors")
        for record in records.iterator(chunk_size=batch):
            values = record.derived_values()
            if any(getattr(record, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(record, name, value)
                stale.append(record)
            tick()
        cls.objects.bulk_update(stale, DERIVED_FIELDS, batch_size=batch)
        return len(stale)


def public(record):
    """The record if the public may see it, else None: the one rule for showing a
    related record (a parent, a host, an event's programme) on public pages and data."""
    return record if record is not None and record.is_published else None


def non_negative(field_name, name):
    """A named check that a nullable number is not negative."""
    return models.CheckConstraint(
        condition=Q(**{f"{field_name}__isnull": True}) | Q(**{f"{field_name}__gte": 0}),
        name=name,
        violation_error_message=_("This value cannot be negative."),
    )


def published_rows(model, name, other_end):
    """A prefetch of the rows `name` of a `model` record (its roles, memberships, sites)
    whose record at `other_end` the public may see: a draft programme's role is not
    shown on its organization's page. Found from the relation, so that an app names no
    other app's models."""
    rows = model._meta.get_field(name).related_model
    return Prefetch(
        name,
        rows.objects.filter(
            **{f"{other_end}__publication_status": PublicationStatus.PUBLISHED}
        ).select_related(other_end, "source"),
    )
