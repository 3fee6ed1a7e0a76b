"""The programmes' IATI XML where visitors find the other formats: beside the list's CSV
export, on each programme's page, and in the open dataset (ecosystem.opendata.dataset),
the file the list's export would send unfiltered."""

from django.utils.translation import gettext_lazy as _

from ecosystem.core.registry import DatasetFile, Download, registry
from iati import writing
from programmes.models import Programme

NAME = "programmes-iati.xml"


def write(path, base_url):
    listed = Programme.objects.published().existing()
    programmes = writing.dated_only(listed)
    undated = listed.filter(start__isnull=True, end__isnull=True).count()
    with open(path, "wb") as out:
        for chunk in writing.activities_xml(programmes, base_url, undated):
            out.write(chunk)
    return programmes.count()


def register():
    registry.attach_download(
        "programmes",
        Download(
            _("These results as IATI XML"),
            "iati-programmes",
            _("This programme as IATI XML"),
            "iati-programme",
            offered=lambda programme: bool(programme.start or programme.end),
        ),
    )
    registry.register_dataset_file(
        DatasetFile(NAME, "Programmes as IATI 2.03 activity XML (iatistandard.org).", write)
    )
