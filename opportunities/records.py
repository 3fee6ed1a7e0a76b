"""Opportunities in the registry of record types (ecosystem.core.registry)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from ecosystem.core.listing import first_rows
from ecosystem.core.records import record_type
from ecosystem.core.registry import DemoSection, HomeSection, SeedSection, registry
from members.models import Organization
from opportunities import api, demo, exports, filters, seeding, structured_data
from opportunities.models import Opportunity
from programmes.models import Programme

HOME_CLOSING = 5
# Open calls on a programme's or an organization's page.
PAGE_CALLS = 10


def published():
    return Opportunity.objects.published()


def home_sections():
    return [
        HomeSection(
            title=_("Closing soon"),
            records=published()
            .closing_soon()
            .for_list()
            .order_by("closes_at", "pk")[:HOME_CLOSING],
            empty=_("No call listed closes within two weeks."),
            invite=_("Know of an open call?"),
            link="opportunities:opportunity-list",
            link_label=_("All opportunities"),
        )
    ]


def page_sections(record):
    """ "Open calls" on the page of the programme they belong to, or of an organization
    offering, funding or partnering them."""
    if isinstance(record, Programme):
        calls = published().filter(programme=record)
    elif isinstance(record, Organization):
        calls = published().filter(pk__in=record.opportunity_roles.values("opportunity"))
    else:
        return []
    return [
        HomeSection(
            title=_("Open calls"),
            records=first_rows(calls.open_at().for_list().open_first(), PAGE_CALLS),
            empty="",
        )
    ]


OPPORTUNITIES = record_type(
    key="opportunities",
    position=35,
    model=Opportunity,
    published=published,
    filterset=filters.OpportunityFilter,
    title=_("Opportunities"),
    nav_label=_("Calls"),
    count_label=ngettext_lazy("%(counter)s opportunity", "%(counter)s opportunities", "counter"),
    empty_here=_("No opportunity here yet."),
    description=_(
        "Calls for applications, grants and prizes, accelerator cohorts, trainings, trade "
        "missions and tenders for tech and agri-food SMEs in West Africa: who may apply, "
        "what they give, and until when."
    ),
    row_template="opportunities/_opportunity_row.html",
    detail_template="opportunities/opportunity_detail.html",
    serializer=api.OpportunitySerializer,
    csv_columns=exports.COLUMNS,
    json_ld=structured_data.for_opportunity,
    dataset_description="Opportunities (calls, grants, trainings, missions), with their roles.",
    subscribe_url="deadlines-calendar",
    home_sections=home_sections,
    page_sections=page_sections,
)


def register():
    registry.register(OPPORTUNITIES)
    registry.register_seed(SeedSection("opportunities", seeding.load, children=["roles"]))
    registry.register_demo(
        DemoSection("opportunities", "opportunities with roles", demo.make_opportunities, 1000)
    )
