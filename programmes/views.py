from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from ecosystem.exports import csv_response
from ecosystem.views import directory_list
from programmes.exports import COLUMNS
from programmes.filters import ProgrammeFilter
from programmes.models import Programme


def programme_list(request):
    return directory_list(
        request,
        ProgrammeFilter,
        Programme.objects.published().for_list(),
        title=_("Programmes"),
        description=_(
            "Programmes supporting tech and agri-food SMEs in West Africa: who funds them, "
            "who runs them, where and when."
        ),
        row_template="programmes/_programme_row.html",
        export_url="programmes:programme-export",
    )


def programme_export(request):
    return csv_response(
        request, ProgrammeFilter, Programme.objects.published().for_api(), COLUMNS, "programmes.csv"
    )


def programme_detail(request, slug):
    programme = get_object_or_404(Programme.objects.published().for_detail(), slug=slug)
    return render(request, "programmes/programme_detail.html", {"programme": programme})
