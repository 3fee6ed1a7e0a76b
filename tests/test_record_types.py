"""A new record type brings only its model and labels: what it leaves out has defaults
that work (ecosystem.core.records)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from ecosystem.core import cells, exports, own_fields
from ecosystem.core.records import record_type
from ecosystem.opendata.imports import plan
from events.models import Event
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


@pytest.fixture
def own():
    """Events as a type that names four of its own fields, each of another kind."""
    return record_type(
        key="own",
        position=99,
        model=Event,
        fields=["kind", "online", "programme", "city"],
        title="Own",
        count_label=ngettext_lazy("%(counter)s own", "%(counter)s owns", "counter"),
        description="Records with fields of their own.",
    )


def test_its_own_fields_filter_a_choice_yes_or_no_a_record_and_text(own, world):
    Event.objects.filter(slug="mission-bamako").update(online=True, programme=world["draft"])

    def found(query):
        records = own.filterset(QueryDict(query), own.published().for_list()).qs
        return set(records.values_list("slug", flat=True))

    assert found("kind=mission&kind=consultation") == {"mission-bamako", "consultation-dakar"}
    assert found("online=yes") == {"mission-bamako"}
    assert found("online=no") == {"consultation-dakar", "sipen-next"}
    assert found(f"programme={world['closed'].slug}") == {"consultation-dakar"}
    assert found("city=Thiès") == {"sipen-next"}
    # A draft is not a value the filter knows.
    assert not own.filterset(QueryDict(f"programme={world['draft'].slug}")).is_valid()
    assert own.filterset.facets == ["kind", "country", "sector"]
    with translation.override("fr"):
        form = str(own.filterset(QueryDict("online=yes")).form)
    assert '<option value="">Indifférent</option>' in form
    assert '<option value="yes" selected>Oui</option>' in form
    assert list(own.filterset.base_filters)[-5:] == ["kind", "online", "programme", "city", "sort"]


@pytest.mark.parametrize(
    ("language", "labels", "values"),
    [
        ("en", ["Kind", "Online", "Programme", "City"], ["trade show", "no", "", "Thiès"]),
        ("fr", ["Type", "En ligne", "Programme", "Ville"], ["salon", "non", "", "Thiès"]),
    ],
)
def test_its_own_fields_are_columns_read_back_on_import(own, world, language, labels, values):
    record = own.published().for_api().get(slug="sipen-next")
    with translation.override(language):
        columns = own.csv_columns[2:6]
        assert [str(column.label) for column in columns] == labels
        assert [str(column.value(record) or "") for column in columns] == values
        page = record.get_absolute_url()
    assert own.csv_columns[:2] + own.csv_columns[6:] == exports.shared_columns()
    # The labels of the export, in either language, are what an import reads.
    yes = {"en": "yes", "fr": "oui"}[language]
    (row,) = plan(
        own, [[str(exports.PAGE_LABEL), *labels], [page, values[0], yes, "", "Saint-Louis"]]
    )
    assert row.errors == [] and row.action == "update"
    assert (row.record.online, row.record.city) == (True, "Saint-Louis")


@translation.override("en")
def test_its_own_fields_are_served_and_shown_public_links_only(own, world):
    Event.objects.filter(slug="mission-bamako").update(online=True, programme=world["draft"])
    context = {"base_url": "https://example.org"}
    by_slug = {record.slug: record for record in own.published().for_api()}
    data = own.serializer(by_slug["mission-bamako"], context=context).data
    assert (data["kind"], data["online"], data["programme"]) == ("mission", True, None)
    data = own.serializer(by_slug["consultation-dakar"], context=context).data
    assert (data["programme"], data["city"]) == (world["closed"].slug, "Dakar")
    facts = [
        (str(f.label), str(f.value), f.url)
        for f in own_fields.facts(by_slug["consultation-dakar"], own.fields)
    ]
    assert facts == [
        ("Kind", "consultation", ""),
        ("Online", "No", ""),
        ("Programme", str(world["closed"]), world["closed"].get_absolute_url()),
        ("City", "Dakar", ""),
    ]
    # The draft programme is not named; an empty city is left out.
    facts = own_fields.facts(by_slug["mission-bamako"], own.fields)
    assert [(str(f.label), str(f.value)) for f in facts] == [("Kind", "mission"), ("Online", "Yes")]


def test_a_field_it_cannot_carry_is_refused():
    with pytest.raises(ImproperlyConfigured, match="Event.countries"):
        own_fields.model_fields(Event, ["countries"])
