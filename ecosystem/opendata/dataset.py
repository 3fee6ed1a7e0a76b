"""The open dataset: every published record as CSV and JSON, with a README describing
the files, their fields and the licence. The JSON is the API's, the CSV the lists'."""

import csv
import json
from pathlib import Path

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone, translation

from ecosystem.core import exports
from ecosystem.core.api import CountrySerializer, SectorSerializer
from ecosystem.core.models import Country, Sector
from ecosystem.core.registry import registry

LICENCE = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


def datasets():
    """(name, description, queryset, serializer, CSV columns or None): one set per record
    type of the registry, then countries and sectors."""
    return [
        *(
            (
                t.key,
                t.dataset_description,
                t.listed_records().for_api(),
                t.serializer,
                t.csv_columns,
            )
            for t in registry
        ),
        (
            "countries",
            "Countries (ISO 3166-1 alpha-2) and their regions.",
            Country.objects.all(),
            CountrySerializer,
            None,
        ),
        (
            "sectors",
            "Sectors, with their parent sector.",
            Sector.objects.select_related("parent"),
            SectorSerializer,
            None,
        ),
    ]


def count(sets):
    return sum(queryset.count() for _name, _text, queryset, _serializer, _columns in sets)


def export(directory, base_url, tick=lambda: None):
    """Write the dataset into `directory`; returns {file name: records}."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    base_url = base_url.rstrip("/")
    written = {}
    sets = datasets()
    # One language for labels and names in the CSV files; the JSON carries both.
    with translation.override("en"):
        for name, _text, queryset, serializer_class, columns in sets:
            records = []
            for record in queryset.iterator(exports.BATCH):
                records.append(record)
                tick()
            data = serializer_class(records, many=True, context={"base_url": base_url}).data
            path = directory / f"{name}.json"
            path.write_text(
                json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1),
                encoding="utf-8",
            )
            written[path.name] = len(records)
            with open(directory / f"{name}.csv", "w", encoding="utf-8-sig", newline="") as out:
                if columns:
                    rows = exports.rows(columns, records, lambda r: base_url + r.get_absolute_url())
                    csv.writer(out).writerows(rows)
                else:  # countries and sectors: their JSON fields are flat
                    writer = csv.DictWriter(out, fieldnames=list(serializer_class().fields))
                    writer.writeheader()
                    writer.writerows(
                        {key: exports.safe(value) for key, value in row.items()} for row in data
                    )
            written[f"{name}.csv"] = len(records)
        for dataset_file in registry.dataset_files:
            written[dataset_file.name] = dataset_file.write(directory / dataset_file.name, base_url)
            tick()
        (directory / "README.md").write_text(readme(sets, written, base_url), encoding="utf-8")
    return written


def readme(sets, written, base_url):
    lines = [
        "# West Africa tech-support directory: open dataset",
        "",
        f"Exported on {timezone.localdate().isoformat()} from {base_url}.",
        "Every published organization, SME, programme and event of the directory, with the",
        "countries and sectors they refer to. Each record cites its sources.",
        "",
        "## Licence",
        "",
        f"The data is published under the {LICENCE}: {LICENCE_URL}.",
        'Reuse it freely; credit "West Africa tech-support directory" and link to the',
        "record's page (the `url` field or the `Page` column).",
        "",
        "## Files",
        "",
        "Each set comes as JSON (the API's representation: both languages, codes and slugs)",
        "and as CSV (UTF-8 with a byte-order mark, for spreadsheets; labels in English,",
        'lists joined with "; ").',
        "",
        "| file | records | content |",
        "| --- | --- | --- |",
    ]
    for name, text, _queryset, _serializer, _columns in sets:
        for suffix in ("json", "csv"):
            lines.append(f"| `{name}.{suffix}` | {written[f'{name}.{suffix}']} | {text} |")
    for dataset_file in registry.dataset_files:
        name = dataset_file.name
        lines.append(f"| `{name}` | {written[name]} | {dataset_file.description} |")
    lines += ["", "## Fields", ""]
    for name, _text, _queryset, serializer_class, columns in sets:
        lines += [
            f"### {name}",
            "",
            "JSON fields: " + ", ".join(f"`{field}`" for field in serializer_class().fields) + ".",
        ]
        if columns:
            lines.append(
                "CSV columns: "
                + ", ".join(
                    f"`{label}`" for label in [*(c.label for c in columns), exports.PAGE_LABEL]
                )
                + "."
            )
        lines.append("")
    lines += [
        "## Conventions",
        "",
        "- Dates carry a precision (`year`, `month`, `day`): a start is the first day of its",
        "  period and an end the last day, so `2018` to `2023` reads 2018-01-01 to 2023-12-31.",
        "- A programme's `status` (planned, active, closed) is derived from its dates on the",
        "  export day; it is null when the dates are unknown.",
        "- Countries are ISO 3166-1 alpha-2 codes; sectors and organizations are slugs.",
        "- Indicator qualifiers: `exact`, `at_least`, `about`, `target`.",
        "",
    ]
    return "\n".join(lines)
