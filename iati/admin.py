"""The IATI side of the admin: the import (iati/admin_import.py, under the imported
activities), the DAC-sector mapping, the organizations as IATI names them, the sources
the weekly job syncs (iati/sync.py) with "sync now", and the conflicts between staff's
changes and a publisher's, which staff resolve one way or the other. What waits (open
conflicts, failed syncs, activities gone from their file) is on the staff dashboard and
in the weekly digest."""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from ecosystem.core.admin.dashboard import OtherWork, Panel, register_panel, register_work
from ecosystem.core.models import PublicationStatus, Sector
from iati import fetching, importing, sync
from iati.admin_import import Readable, import_view, label
from iati.models import Activity, Conflict, KnownOrganization, SectorMapping, SyncSource
from iati.reading import IatiFileError


def change_link(record):
    if record is None:
        return "—"
    opts = record._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
    return format_html('<a href="{}">{}</a>', url, record)


class SectorMappingForm(forms.ModelForm):
    """The directory's sector chosen by name; the mapping keeps its slug."""

    sector_slug = forms.ChoiceField(label=_("directory sector"))

    class Meta:
        model = SectorMapping
        fields = ["code", "sector_slug"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector_slug"].choices = [
            (sector.slug, sector.name) for sector in Sector.objects.order_by("name_en")
        ]


@admin.register(SectorMapping)
class SectorMappingAdmin(admin.ModelAdmin):
    form = SectorMappingForm
    list_display = ["code", "sector"]
    search_fields = ["code", "sector_slug"]
    ordering = ["code"]

    def get_queryset(self, request):
        """Each mapping with its sector's names, in the list's one query."""
        sector = Sector.objects.filter(slug=OuterRef("sector_slug"))
        return (
            super()
            .get_queryset(request)
            .annotate(
                sector_en=Subquery(sector.values("name_en")[:1]),
                sector_fr=Subquery(sector.values("name_fr")[:1]),
            )
        )

    @admin.display(description=_("directory sector"), ordering="sector_slug")
    def sector(self, mapping):
        name = mapping.sector_fr if get_language() == "fr" else mapping.sector_en
        return name or _("%(slug)s (no such sector: the code stays unmapped)") % {
            "slug": mapping.sector_slug
        }


class SyncSourceForm(forms.ModelForm):
    class Meta:
        model = SyncSource
        fields = ["publisher", "url", "enabled"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            fetching.refuse_host(url)
        except IatiFileError as error:
            raise forms.ValidationError(str(error)) from error
        return url


@admin.register(SyncSource)
class SyncSourceAdmin(admin.ModelAdmin):
    form = SyncSourceForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["publisher", "url", "enabled", "last_run", "outcome", "result"]
    list_filter = ["enabled", "last_ok"]
    search_fields = ["publisher", "url"]
    readonly_fields = ["last_run", "outcome", "result"]
    actions = ["sync_now"]

    @admin.display(description=_("last run succeeded"), boolean=True)
    def outcome(self, source):
        return source.last_ok

    @admin.display(description=_("last result"))
    def result(self, source):
        return sync.described(source) or "—"

    @admin.action(description=_("Sync the selected sources now"), permissions=["change"])
    def sync_now(self, request, queryset):
        pks = list(queryset.values_list("pk", flat=True))
        sync.sync_iati.enqueue(pks)
        self.message_user(
            request,
            ngettext(
                "%(count)s source will be synced by a job: its result shows here once done.",
                "%(count)s sources will be synced by a job: their results show here once done.",
                len(pks),
            )
            % {"count": len(pks)},
            messages.SUCCESS,
        )


def gone():
    """Activities gone from their publisher's file whose programme staff have not archived
    yet: what waits for them."""
    return Q(gone_since__isnull=False) & ~Q(
        programme__publication_status=PublicationStatus.ARCHIVED
    )


class GoneFilter(admin.SimpleListFilter):
    title = _("in its publisher’s file")
    parameter_name = "gone"

    def lookups(self, request, model_admin):
        return [
            ("yes", _("gone from it, programme not archived")),
            ("all", _("gone from it")),
            ("no", _("still there")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(gone())
        if self.value() == "all":
            return queryset.filter(gone_since__isnull=False)
        if self.value() == "no":
            return queryset.filter(gone_since__isnull=True)
        return queryset


class ReadOnly:
    """Written by imports and syncs only: staff read them (and resolve conflicts)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Activity)
class ActivityAdmin(ReadOnly, admin.ModelAdmin):
    list_display = [
        "identifier",
        "programme_link",
        "publisher_name",
        "last_updated",
        "last_imported",
        "gone_since",
    ]
    list_filter = [GoneFilter, "sync_source", "publisher_name"]
    list_select_related = ["programme"]
    search_fields = ["identifier", "publisher_name"]
    show_full_result_count = False
    change_list_template = "admin/iati/activity/change_list.html"
    fields = [
        "identifier",
        "programme_link",
        "publisher_ref",
        "publisher_name",
        "last_updated",
        "version",
        "status",
        "source",
        "sync_source",
        "first_imported",
        "last_imported",
        "gone_since",
        "details",
    ]
    readonly_fields = fields

    def get_urls(self):
        view = self.admin_site.admin_view(import_view)
        return [path("import/", view, name="iati_activity_import"), *super().get_urls()]

    @admin.display(description=_("programme"), ordering="programme")
    def programme_link(self, activity):
        return change_link(activity.programme)


class OpenFilter(admin.SimpleListFilter):
    title = _("resolved")
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return [("yes", _("to resolve")), ("no", _("resolved"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(resolved__isnull=True)
        if self.value() == "no":
            return queryset.filter(resolved__isnull=False)
        return queryset


def resolve(request, queryset, *, take_publisher):
    """Resolve each open conflict of `queryset`; say how many."""
    resolved = 0
    for conflict in queryset.filter(resolved__isnull=True).select_related("activity__programme"):
        importing.resolve(conflict, take_publisher=take_publisher, user=request.user)
        resolved += 1
    return resolved


@admin.register(Conflict)
class ConflictAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["programme", "field_label", "staff", "publisher", "found", "resolution"]
    list_filter = [OpenFilter, "resolution"]
    list_select_related = ["activity__programme"]
    search_fields = ["activity__identifier", "field"]
    actions = ["keep_staff", "take_publisher"]
    fields = [
        "activity",
        "programme",
        "field_label",
        "staff",
        "publisher",
        "found",
        "resolved",
        "resolution",
    ]
    readonly_fields = fields

    def has_resolve_permission(self, request):
        return request.user.has_perm("programmes.change_programme") and request.user.has_perm(
            "iati.view_conflict"
        )

    @admin.display(description=_("programme"))
    def programme(self, conflict):
        return change_link(conflict.activity.programme)

    @admin.display(description=_("field"), ordering="field")
    def field_label(self, conflict):
        return label(conflict.field)

    def readable(self, conflict, value):
        """The value in staff's words (a query for its organizations' names when it is
        the roles: rare, as a conflict is)."""
        return Readable([(conflict.field, value)])(conflict.field, value) or _("(empty)")

    @admin.display(description=_("staff’s value"))
    def staff(self, conflict):
        return self.readable(conflict, conflict.staff_value)

    @admin.display(description=_("publisher’s value"))
    def publisher(self, conflict):
        return self.readable(conflict, conflict.publisher_value)

    def resolved_message(self, request, count):
        self.message_user(
            request,
            ngettext("%(count)s conflict resolved.", "%(count)s conflicts resolved.", count)
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )

    @admin.action(description=_("Keep staff’s values"), permissions=["resolve"])
    def keep_staff(self, request, queryset):
        self.resolved_message(request, resolve(request, queryset, take_publisher=False))

    @admin.action(description=_("Take the publisher’s values"), permissions=["resolve"])
    def take_publisher(self, request, queryset):
        self.resolved_message(request, resolve(request, queryset, take_publisher=True))


@admin.register(KnownOrganization)
class KnownOrganizationAdmin(admin.ModelAdmin):
    """The matches staff chose in previews; deleting one makes the next preview ask again."""

    list_display = ["key", "organization"]
    list_select_related = ["organization"]
    search_fields = ["key"]
    autocomplete_fields = ["organization"]


# On the staff dashboard and in the weekly digest: what the imports and syncs left to do.
register_work(
    OtherWork(
        _("IATI conflicts to resolve"),
        lambda: Conflict.objects.filter(resolved__isnull=True).count(),
        lambda: reverse("admin:iati_conflict_changelist") + "?open=yes",
        "iati.view_conflict",
    )
)
register_work(
    OtherWork(
        _("IATI sources whose last sync failed"),
        lambda: SyncSource.objects.filter(enabled=True, last_ok=False).count(),
        lambda: reverse("admin:iati_syncsource_changelist") + "?enabled__exact=1&last_ok__exact=0",
        "iati.view_syncsource",
    )
)
register_work(
    OtherWork(
        _("Programmes gone from their IATI file"),
        lambda: Activity.objects.filter(gone()).count(),
        lambda: reverse("admin:iati_activity_changelist") + "?gone=yes",
        "iati.view_activity",
    )
)


# The most sources the dashboard's panel lists (a directory syncs a few publishers).
SOURCES_SHOWN = 20


def sync_panel():
    """The enabled sources with their last sync's result, for the admin's index."""
    sources = list(SyncSource.objects.filter(enabled=True)[:SOURCES_SHOWN])
    if not sources:
        return None
    return {
        "sources": [(source, sync.described(source)) for source in sources],
        "url": reverse("admin:iati_syncsource_changelist"),
    }


register_panel(Panel("admin/iati/sync_panel.html", sync_panel, "iati.view_syncsource"))
