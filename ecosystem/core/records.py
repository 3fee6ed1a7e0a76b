"""A record type with everything it does not bring filled in: a new kind of record
needs only its model, its labels and its place in the navigation to get a list with
filters, an export, pages, search, API, feed, sitemap and dataset entries; the model
fields it names (`fields`) are filtered, exported, served and shown too
(ecosystem.core.own_fields). What it brings (a FilterSet, a serializer, templates...)
replaces the default."""

from django.utils.translation import gettext_lazy as _

from ecosystem.core import exports, own_fields
from ecosystem.core.api import DirectoryViewSet, PublishableSerializer
from ecosystem.core.filters import DirectoryFilterSet
from ecosystem.core.registry import RecordType
from ecosystem.core.structured_data import common

# A type's CSV columns when it brings none of its own.
COLUMNS = exports.shared_columns()


def filterset_for(model, fields=()):
    """Text, country, sector and sort: what every list filters on; and the type's own
    fields, before the sort."""
    own, facets = own_fields.filters(fields)
    names = ["q", "country", "sector", *own, "sort"]
    meta = type("Meta", (), {"model": model, "fields": names})
    attributes = {"Meta": meta, **own, "facets": [*facets, *DirectoryFilterSet.facets]}
    return type(f"{model.__name__}Filter", (DirectoryFilterSet,), attributes)


def serializer_for(model, fields=()):
    names = [*PublishableSerializer.common_fields, *(f.name for f in fields)]
    meta = type("Meta", (), {"model": model, "fields": names})
    attributes = {"Meta": meta, **own_fields.serializer_fields(fields)}
    return type(f"{model.__name__}Serializer", (PublishableSerializer,), attributes)


def viewset_for(model, published, serializer, filterset):
    def get_queryset(self):
        return published().for_api()

    return type(
        f"{model.__name__}ViewSet",
        (DirectoryViewSet,),
        {
            "__doc__": str(model._meta.verbose_name_plural).capitalize() + ".",
            "queryset": model.objects.all(),
            "get_queryset": get_queryset,
            "serializer_class": serializer,
            "filterset_class": filterset,
        },
    )


def json_ld(record, absolute_url):
    return common(record, absolute_url, "Thing")


def record_type(*, key, model, fields=(), **given):
    """A RecordType for `model`, from what is `given` and defaults for the rest. Its
    URLs are named after the model: "<app>:<model>-list", "<app>:<model>-export".
    `fields` names the model's own fields ("kind", "paid"...) that its default
    FilterSet, serializer, CSV columns and page add to those every type shares."""
    names = f"{model._meta.app_label}:{model._meta.model_name}"
    fields = own_fields.model_fields(model, fields)
    # Linked records come with their record: an export names them without a query a row.
    linked = [f.name for f in fields if f.many_to_one]

    def published_records():
        records = model.objects.published()
        return records.select_related(*linked) if linked else records

    published = given.pop("published", None) or published_records
    filterset = given.pop("filterset", None) or filterset_for(model, fields)
    serializer = given.pop("serializer", None) or serializer_for(model, fields)
    defaults = {
        "list_url": f"{names}-list",
        "export_url": f"{names}-export",
        "nav_label": given["title"],
        "empty_here": _("Nothing here yet."),
        "dataset_description": given["description"],
        "row_template": "includes/_record_row.html",
        "detail_template": "ecosystem/record_detail.html",
        "viewset": viewset_for(model, published, serializer, filterset),
        "csv_columns": exports.shared_columns(own=own_fields.columns(fields)),
        "json_ld": json_ld,
    }
    return RecordType(
        key=key,
        model=model,
        fields=tuple(fields),
        published=published,
        filterset=filterset,
        serializer=serializer,
        **{**defaults, **given},
    )
