"""The views every record type shares: its filterable list, its CSV export and its
records' pages, driven by the type's registry entry (ecosystem.core.registry)."""

from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.text import format_lazy

from ecosystem.core import export_files
from ecosystem.core.counts import COUNTRY, SECTOR, counts
from ecosystem.core.exports import csv_response
from ecosystem.core.links.models import LinkNotices
from ecosystem.core.listing import build_listing, lenient_filterset
from ecosystem.core.notes import SourceNotes
from ecosystem.core.own_fields import facts
from ecosystem.core.registry import registry


def directory_list(request, record_type, queryset):
    """Every list page: filters, facets, chips, results and pagination, one template."""
    filterset_class = record_type.filterset
    shareable = shareable_query(request.GET, filterset_class.default_sort)
    if shareable != request.GET.urlencode():
        # The filter form sends every field, empty or not: answer with the short URL
        # worth sharing (?country=ML rather than ?q=&country=ML&year=&...).
        return redirect(request.path + (f"?{shareable}" if shareable else ""))
    kept = counts()[record_type.key]
    listing = build_listing(
        request,
        filterset_class,
        queryset,
        {"country": kept[COUNTRY], "sector": kept[SECTOR]},
        # The counts are of its published records: its list's, unless it lists fewer.
        total_kept=record_type.listed is None,
    )
    pictures = record_type.list_pictures
    return render(
        request,
        "ecosystem/list.html",
        {
            "listing": listing,
            **(pictures(listing) if pictures else {}),
            "title": record_type.title,
            "description": record_type.description,
            "empty": record_type.empty_here,
            "row_template": record_type.row_template,
            "export_url": record_type.export_url,
            "subscribe_url": record_type.subscribe_url,
            "downloads": record_type.downloads,
            "list_key": record_type.key,
        },
    )


def shareable_query(data, default_sort):
    """The query string without empty values or the default sort."""
    query = QueryDict(mutable=True)
    for key, values in data.lists():
        kept = [
            value for value in values if value and not (key == "sort" and value == default_sort)
        ]
        if kept:
            query.setlist(key, kept)
    return query.urlencode()


def record_list(request, key):
    record_type = registry[key]
    return directory_list(request, record_type, record_type.listed_records().for_list())


def record_export(request, key):
    """The list's records, filtered exactly as its page filters them, as CSV: streamed, or
    past EXPORT_STREAM_MAX_ROWS prepared as a file by a job (export_files)."""
    record_type = registry[key]
    filterset, _ignored = lenient_filterset(
        record_type.filterset, request.GET, record_type.listed_records().for_api()
    )
    if export_files.too_large_to_stream(filterset.qs):
        return export_files.prepared(request, record_type, filterset)
    return csv_response(request, filterset.qs, record_type.csv_columns, f"{key}.csv")


def record_detail(request, key, slug):
    record_type = registry[key]
    records = (record_type.pages or record_type.published)()
    if request.user.is_staff:
        # Staff preview drafts and records in review at their public address; the page
        # says they are not published, and is never cached (staff have a session).
        records = record_type.model.objects.all()
    record = get_object_or_404(records.for_detail(), slug=slug)
    extra = record_type.detail_context(record) if record_type.detail_context else {}
    notes = SourceNotes(record.sources.all())
    context = {
        "record": record,
        record_type.context_name: record,
        "notes": notes,
        "link_notices": LinkNotices(record, notes),
        "record_key": record_type.key,
        "facts": facts(record, record_type.fields),
        "downloads": [
            download
            for download in record_type.downloads
            if download.offered is None or download.offered(record)
        ],
        "page_sections": [
            (other, section)
            for other in registry
            if other.page_sections
            for section in other.page_sections(record)
        ],
        **extra,
    }
    return render(request, record_type.detail_template, context)


def record_paths(key, prefix, name, *, detail=True):
    """The list, export and page URLs of a record type: programmes/, programmes/export.csv,
    programmes/<slug>/, named programme-list, programme-export, programme-detail.

    `prefix` is the path's word with its slash, a lazy translation ("organizations/",
    in French "organisations/"): each language's pages have addresses in its words."""
    kwargs = {"key": key}
    paths = [
        path(prefix, record_list, kwargs, name=f"{name}-list"),
        path(format_lazy("{}export.csv", prefix), record_export, kwargs, name=f"{name}-export"),
    ]
    if detail:
        route = format_lazy("{}<slug:slug>/", prefix)
        paths.append(path(route, record_detail, kwargs, name=f"{name}-detail"))
    return paths
