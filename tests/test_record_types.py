"""A new record type brings only its model and labels: what it leaves out has defaults
that work (ecosystem.core.records)."""

import pytest
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from ecosystem.core import cells, exports
from ecosystem.core.records import record_type
from ecosystem.opendata.imports import plan
from programmes.models import Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def plain():
    """Programmes as a type that brings nothing of its own."""
    return record_type(
        key="plain",
        position=99,
        model=Programme,
        title="Plain",
        count_label=ngettext_lazy("%(counter)s plain", "%(counter)s plains", "counter"),
        description="Plain records.",
    )


@translation.override("en")
def test_the_defaults_filter_serialize_and_describe(plain, world):
    assert (plain.list_url, plain.export_url) == (
        "programmes:programme-list",
        "programmes:programme-export",
    )
    in_mali = plain.filterset(QueryDict("country=ML"), plain.published().for_list()).qs
    assert set(in_mali.values_list("slug", flat=True)) == {"digital-mali", "digital-sahel"}
    record = plain.published().for_api().get(slug="digital-mali")
    data = plain.serializer(record, context={"base_url": "https://example.org"}).data
    assert data["countries"] == ["ML"] and data["url"].startswith("https://example.org/")
    viewset = plain.viewset()
    assert "draft-programme" not in viewset.get_queryset().values_list("slug", flat=True)
    assert plain.json_ld(record, lambda url: url)["@type"] == "Thing"
    assert [str(column.label) for column in plain.csv_columns][:2] == ["Name", "Acronym"]
    assert plain.count_text(2) == "2 plains"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_column_a_type_brings_is_imported_under_its_export_label(world, language):
    """The import reads a type's columns as its export labels them, in either language,
    and does what each column says: nothing is declared twice."""
    currency = exports.Column(
        _("Budget currency"),
        lambda programme: programme.budget_currency,
        cells.put_text("budget_currency"),
    )
    plain = record_type(
        key="plain",
        position=99,
        model=Programme,
        title="Plain",
        count_label=ngettext_lazy("%(counter)s plain", "%(counter)s plains", "counter"),
        description="Plain records.",
        csv_columns=exports.shared_columns(own=[currency]),
    )
    with translation.override(language):
        header = [str(exports.PAGE_LABEL), str(currency.label), str(exports.SUMMARY.label)]
    assert header[1] == {"en": "Budget currency", "fr": "Devise du budget"}[language]
    page = f"/{language}/programmes/digital-mali/"
    (row,) = plan(plain, [header, [page, "XOF", "Digital services in Mali."]])
    assert row.errors == [] and row.action == "update"
    assert row.record.budget_currency == "XOF"
    assert getattr(row.record, f"summary_{language}") == "Digital services in Mali."
