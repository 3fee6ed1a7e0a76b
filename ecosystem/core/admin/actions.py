"""The bulk actions staff run on the records selected in an admin list: publish,
unpublish, archive, mark as verified. Each record gets its own version in the history."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ecosystem.core import history
from ecosystem.core.models import PublicationStatus


def set_publication_status(modeladmin, request, queryset, status):
    """Each record is saved on its own, so that it gets a version in its history (with
    the action as its reason) and a new "updated" time for feeds and sitemaps. Records
    already in that status are left alone; a record without a source is not published."""
    changed, refused = 0, []
    with history.reason("bulk-action", status):
        for record in queryset.prefetch_related("sources"):
            if record.publication_status == status:
                continue
            if status == PublicationStatus.PUBLISHED and not record.sources.all():
                refused.append(record)
                continue
            record.publication_status = status
            record._history_user = request.user
            record.save()
            changed += 1
    # One sentence per action: French agrees the participle with "fiches".
    message = {
        PublicationStatus.PUBLISHED: ngettext(
            "%(count)d record published.", "%(count)d records published.", changed
        ),
        PublicationStatus.DRAFT: ngettext(
            "%(count)d record set back to draft.", "%(count)d records set back to draft.", changed
        ),
        PublicationStatus.ARCHIVED: ngettext(
            "%(count)d record archived.", "%(count)d records archived.", changed
        ),
    }[status]
    modeladmin.message_user(request, message % {"count": changed}, messages.SUCCESS)
    if refused:
        modeladmin.message_user(
            request,
            ngettext(
                "Not published, as it cites no source: %(records)s.",
                "Not published, as they cite no source: %(records)s.",
                len(refused),
            )
            % {"records": "; ".join(map(str, refused))},
            messages.WARNING,
        )


@admin.action(description=_("Publish the selected records"))
def publish(modeladmin, request, queryset):
    set_publication_status(modeladmin, request, queryset, PublicationStatus.PUBLISHED)


@admin.action(description=_("Unpublish the selected records (back to draft)"))
def unpublish(modeladmin, request, queryset):
    set_publication_status(modeladmin, request, queryset, PublicationStatus.DRAFT)


@admin.action(description=_("Archive the selected records"))
def archive(modeladmin, request, queryset):
    set_publication_status(modeladmin, request, queryset, PublicationStatus.ARCHIVED)


@admin.action(description=_("Mark the selected records as verified today"))
def mark_verified(modeladmin, request, queryset):
    """Staff checked the records against the organization or a current source: today,
    by them, one version each in the history."""
    today = timezone.localdate()
    with history.reason("bulk-action", "verified"):
        for record in queryset:
            record.last_verified, record.verified_by = today, request.user
            record._history_user = request.user
            record.save()
    count = queryset.count()
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d record marked as verified.", "%(count)d records marked as verified.", count
        )
        % {"count": count},
        messages.SUCCESS,
    )
