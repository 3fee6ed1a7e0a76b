"""An organization's part in a record (funding a programme, organizing an event): the
one abstract model, field and constraint every role model uses, and the filter that
finds records by who holds a role in them. Apps subclass `Role`; the core names no app
but by the string below (Django resolves it once every app is loaded), so the feature
apps import the core and never each other for this."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from ecosystem.core.filters import OfferedChoiceFilter
from ecosystem.core.history import History
from ecosystem.core.models import PublicationStatus, fact_source

# The model that holds roles: the directory's organizations.
ORGANIZATION_MODEL = "members.Organization"


class Role(models.Model):
    """An organization's part in a record: in a programme (funding, implementing...) or
    in an event (organizer, exhibitor...). Each subclass declares its three fields with
    the helpers below, the record's (`record_link()`, named in `record_field`), the
    organization's (`organization_link()`) and the role's (`role_field()`), and its
    constraint (`unique_role()`); its history and source come from here."""

    source = fact_source()
    history = History(inherit=True)

    record_field = ""
    # Each subclass gives, per role, its plural ("funders", the heading above several
    # organizations) and how the organization's own page says it ("funds": on AFD's
    # page, "funder: FISONG" would read as if FISONG funded AFD).
    plurals = {}
    organization_labels = {}

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.organization} – {self.get_role_display()} – {self.record}"

    def heading(self, count):
        return self.get_role_display() if count == 1 else self.plurals[self.role]

    def get_organization_label(self):
        return self.organization_labels[self.role]

    @property
    def through(self):
        """The programme that made the role possible, where a kind of role says."""
        return None

    @property
    def record(self):
        """The programme or the event."""
        return getattr(self, self.record_field)


def record_link(model, verbose_name):
    """A role's record: `programme.roles`, `event.roles`."""
    return models.ForeignKey(
        model, verbose_name=verbose_name, on_delete=models.CASCADE, related_name="roles"
    )


def role_field(kinds):
    """The role itself, one of `kinds` (a TextChoices)."""
    return models.CharField(_("role"), max_length=12, choices=kinds.choices)


def organization_link(related_name):
    """A role's organization: `organization.programme_roles`, `organization.event_roles`."""
    return models.ForeignKey(
        ORGANIZATION_MODEL,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name=related_name,
    )


def unique_role(record_field, name):
    return models.UniqueConstraint(
        fields=[record_field, "organization", "role"],
        name=name,
        violation_error_message=_("This organization already has this role here."),
    )


def role_filter(label, role_model, role):
    """?funder=afd on a list of records: the records in which that organization holds
    `role` (a `role_model` row). The form's list offers the organizations that hold the
    role in a published record; any published organization is understood."""
    record = role_model._meta.get_field(role_model.record_field)
    roles = record.remote_field.related_name  # from a record to its roles: "roles"
    organizations = role_model._meta.get_field("organization").related_model

    @extend_schema_field(OpenApiTypes.STR)  # an organization slug
    def filter_role(queryset, name, organization):
        return queryset.filter(
            **{f"{roles}__role": role, f"{roles}__organization": organization}
        ).distinct()

    return OfferedChoiceFilter(
        label=label,
        to_field_name="slug",
        queryset=organizations.objects.published(),
        offered=organizations.objects.published().filter(
            pk__in=role_model.objects.filter(
                role=role,
                **{f"{record.name}__publication_status": PublicationStatus.PUBLISHED},
            ).values("organization")
        ),
        method=filter_role,
        empty_label=_("Any organization"),
    )
