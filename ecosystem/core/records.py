"""A record type with everything it does not bring filled in: a new kind of record
needs only its model, its labels and its place in the navigation to get a list with
filters, an export, pages, search, API, feed, sitemap and dataset entries. What it
brings (a FilterSet, a serializer, templates...) replaces the default."""

from django.utils.translation import gettext_lazy as _

from ecosystem.core import exports
from ecosystem.core.api import DirectoryViewSet, PublishableSerializer
from ecosystem.core.filters import DirectoryFilterSet
from ecosystem.core.registry import RecordType
from ecosystem.core.structured_data import common

# A type's CSV columns when it brings none of its own.
COLUMNS = exports.shared_columns()


def filterset_for(model):
    """Text, country, sector and sort: what every list filters on."""
    meta = type("Meta", (), {"model": model, "fields": ["q", "country", "sector", "sort"]})
    return type(f"{model.__name__}Filter", (DirectoryFilterSet,), {"Meta": meta})


def serializer_for(model):
    meta = type("Meta", (), {"model": model, "fields": PublishableSerializer.common_fields})
    return type(f"{model.__name__}Serializer", (PublishableSerializer,), {"Meta": meta})


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


def record_type(*, key, model, **given):
    """A RecordType for `model`, from what is `given` and defaults for the rest. Its
    URLs are named after the model: "<app>:<model>-list", "<app>:<model>-export"."""
    names = f"{model._meta.app_label}:{model._meta.model_name}"
    published = given.pop("published", None) or (lambda: model.objects.published())
    filterset = given.pop("filterset", None) or filterset_for(model)
    serializer = given.pop("serializer", None) or serializer_for(model)
    defaults = {
        "list_url": f"{names}-list",
        "export_url": f"{names}-export",
        "nav_label": given["title"],
        "empty_here": _("Nothing here yet."),
        "dataset_description": given["description"],
        "row_template": "includes/_record_row.html",
        "detail_template": "ecosystem/record_detail.html",
        "viewset": viewset_for(model, published, serializer, filterset),
        "csv_columns": COLUMNS,
        "json_ld": json_ld,
    }
    return RecordType(
        key=key,
        model=model,
        published=published,
        filterset=filterset,
        serializer=serializer,
        **{**defaults, **given},
    )
