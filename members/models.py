import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.core.history import History
from ecosystem.core.models import (
    Country,
    Period,
    Publishable,
    PublishableQuerySet,
    fact_source,
    last_check_index,
    published_rows,
)
from members import logos


class OrganizationKind(models.TextChoices):
    ASSOCIATION = "association", _("association")
    INTERNATIONAL_AGENCY = "international_agency", _("international agency")
    GOVERNMENT = "government", _("government body")
    FUNDER = "funder", _("funder")
    NGO = "ngo", _("NGO")
    TECHNOPARK = "technopark", _("technopark or support centre")
    SME = "sme", _("SME or start-up")
    CONSORTIUM = "consortium", _("consortium")
    OTHER = "other", _("other")


PHONE_CHARACTERS = re.compile(r"[\s().\-]")


def validate_phone(value):
    """An international number: "+", the country code and the number, 8 to 15 digits
    (E.164), spaces, dots, dashes and brackets allowed between them."""
    digits = PHONE_CHARACTERS.sub("", value)
    if not re.fullmatch(r"\+[1-9]\d{7,14}", digits):
        raise ValidationError(
            _(
                "Write the number in international form: + and the country code, then the "
                "number, e.g. +221 33 869 00 00."
            )
        )


class NetworkURLValidator:
    """A link to a profile on one social network: its address must be on that
    network's site."""

    def __init__(self, network, *hosts):
        self.network, self.hosts = network, hosts

    def __call__(self, value):
        host = (urlsplit(value).hostname or "").lower()
        if not any(host == h or host.endswith(f".{h}") for h in self.hosts):
            raise ValidationError(
                _("A %(network)s link is an address on %(hosts)s."),
                params={"network": self.network, "hosts": " or ".join(self.hosts)},
            )

    def __eq__(self, other):
        return isinstance(other, NetworkURLValidator) and other.hosts == self.hosts

    def deconstruct(self):
        return ("members.models.NetworkURLValidator", (self.network, *self.hosts), {})


def network_link(name, *hosts):
    return models.URLField(
        name, max_length=300, blank=True, validators=[NetworkURLValidator(name, *hosts)]
    )


class OrganizationQuerySet(PublishableQuerySet):
    def smes(self):
        return self.filter(kind=OrganizationKind.SME)

    def support_organizations(self):
        return self.exclude(kind=OrganizationKind.SME)

    def for_list(self):
        """What a list row shows: kind, headquarters, countries and sectors."""
        return self.select_related("hq_country").prefetch_related("countries", "sectors")

    def for_api(self):
        return self.for_list().prefetch_related("sources")

    def for_detail(self):
        """Everything an organization's page shows, in a fixed number of queries. Related
        records the public may not see (drafts) are left out."""
        rows = [
            ("memberships", "organization"),
            ("members", "member"),
            ("programme_roles", "programme"),
            ("event_roles", "event"),
            ("hosted_sites", "programme"),
        ]
        # The programme's page lists the same rows as what it supported.
        series_roles = self.model._meta.get_field("series_roles").related_model
        return self.for_list().prefetch_related(
            "sources",
            *(published_rows(self.model, name, end) for name, end in rows),
            Prefetch("series_roles", series_roles.objects.public()),
        )


def index_fields(field):
    """An index's columns for a list's order: by name, the key too, which breaks ties as
    the lists do (ORDER BY sort_en, id): two SMEs of one name are read in order, not
    sorted."""
    return [field, "id"] if field.startswith("sort") else [field]


class Organization(Publishable):
    kind = models.CharField(_("kind"), max_length=24, choices=OrganizationKind.choices)
    hq_country = models.ForeignKey(
        Country,
        verbose_name=_("headquarters country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="headquartered",
    )
    hq_city = models.CharField(_("headquarters city"), max_length=100, blank=True)
    # IATI's organisation identifier (registration agency, then number: "FR-6" for
    # AFD, "XM-DAC-46002" for the AfDB): what an IATI import matches first.
    iati_identifier = models.CharField(
        _("IATI organisation identifier"),
        max_length=100,
        blank=True,
        help_text=_("As in IATI's organisation identifiers, e.g. FR-6 for AFD."),
    )
    founded = models.PositiveSmallIntegerField(_("founded (year)"), null=True, blank=True)
    # Contact details, public: what an entrepreneur looks for first.
    email = models.EmailField(_("public email"), blank=True)
    phone = models.CharField(
        _("phone"),
        max_length=40,
        blank=True,
        validators=[validate_phone],
        help_text=_("International form, e.g. +221 33 869 00 00."),
    )
    address = models.CharField(
        _("postal address"),
        max_length=300,
        blank=True,
        help_text=_("Street and number, P.O. box; the city and country are given apart."),
    )
    linkedin = network_link("LinkedIn", "linkedin.com")
    x = network_link("X", "x.com", "twitter.com")
    facebook = network_link("Facebook", "facebook.com", "fb.com")
    # The upload as sent, named by its content; the pages show its WebP renditions
    # (members.logos). Old logos stay in storage, so the history can bring them back.
    logo = models.FileField(
        _("logo"),
        max_length=255,
        blank=True,
        validators=[logos.validate_logo],
        help_text=_(
            "PNG, JPEG or WebP, at most 2 MB. The site shows it in a square of 64 and "
            "160 pixels; the logos it had before stay in its history."
        ),
    )

    objects = OrganizationQuerySet.as_manager()

    class Meta(Publishable.Meta):
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            *Publishable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(founded__isnull=True) | Q(founded__gte=1800, founded__lte=2100),
                name="organization_founded_plausible",
                violation_error_message=_("The founding year must be between 1800 and 2100."),
            ),
            models.UniqueConstraint(
                fields=["iati_identifier"],
                condition=~Q(iati_identifier=""),
                name="organization_unique_iati_identifier",
                violation_error_message=_(
                    "Another organization has this IATI organisation identifier."
                ),
            ),
        ]
        # Each list's sorts read the first rows of a million in index order: SMEs, and
        # the few thousand support organizations among them (their kinds counted too).
        indexes = [
            models.Index(fields=["kind", "publication_status"], name="org_kind_status"),
            *(
                models.Index(
                    fields=index_fields(field),
                    condition=Q(kind="sme", publication_status="published"),
                    name=f"sme_published_{field.strip('-')}",
                )
                # "-created": a list's Atom feed, its newest first (alerts.feeds).
                for field in ("sort_en", "sort_fr", "-updated", "-created")
            ),
            last_check_index("sme_published_checked", Q(kind="sme")),
            last_check_index("support_published_checked", ~Q(kind="sme")),
            *(
                models.Index(
                    fields=index_fields(field),
                    condition=~Q(kind="sme") & Q(publication_status="published"),
                    name=f"support_published_{field.strip('-')}",
                )
                for field in ("sort_en", "sort_fr", "-updated", "kind")
            ),
        ]

    def get_absolute_url(self):
        return reverse("members:organization-detail", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        if self.logo and not self.logo._committed:  # a new upload
            self.logo = logos.store(self.logo.file)
        super().save(*args, **kwargs)

    @property
    def logo_small(self):
        """The 64-pixel WebP's address, "" without a logo."""
        return logos.rendition_url(self.logo.name, 64)

    @property
    def logo_large(self):
        """The 160-pixel WebP's address, "" without a logo."""
        return logos.rendition_url(self.logo.name, 160)

    @property
    def initials(self):
        """The same in both languages, as the tile's colour: from one name."""
        return logos.initials(self.tile_name, self.acronym)

    @property
    def tile(self):
        """The colour of the initials' tile, the same in both languages."""
        return logos.tile(self.tile_name)

    @property
    def tile_name(self):
        return self.name_en or self.name_fr

    def clean(self):
        super().clean()
        if self.founded and self.founded > timezone.localdate().year:
            raise ValidationError({"founded": _("The founding year cannot be in the future.")})


class RelationKind(models.TextChoices):
    """How `member` relates to `organization`, read from the member's side."""

    MEMBER = "member", _("member of")
    PARTNER = "partner", _("partner of")
    EMERGENCE = "emergence", _("helped bring about")


# The same relations read from the other side, on `organization`'s page.
INVERSE_LABELS = {
    RelationKind.MEMBER: _("member"),
    RelationKind.PARTNER: _("partner"),
    RelationKind.EMERGENCE: _("brought about with the help of"),
}


class Membership(Period):
    """`member` is related to `organization`: it belongs to it (an association, a
    consortium, a network), is its partner, or helped bring it about."""

    member = models.ForeignKey(
        Organization,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("member of"),
        on_delete=models.CASCADE,
        related_name="members",
    )
    kind = models.CharField(
        _("relation"), max_length=10, choices=RelationKind.choices, default=RelationKind.MEMBER
    )
    source = fact_source()

    history = History()

    class Meta:
        ordering = ["organization__slug", "member__slug"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            *Period.Meta.constraints,
            models.UniqueConstraint(
                fields=["member", "organization"], name="membership_unique_pair"
            ),
            models.CheckConstraint(
                condition=~Q(member=F("organization")),
                name="membership_not_of_itself",
                violation_error_message=_("An organization cannot be a member of itself."),
            ),
        ]

    def __str__(self):
        return f"{self.member} – {self.get_kind_display()} – {self.organization}"

    def get_inverse_display(self):
        return INVERSE_LABELS[self.kind]

    def clean(self):
        super().clean()
        if self.member_id and self.member_id == self.organization_id:
            raise ValidationError(_("An organization cannot be a member of itself."))
