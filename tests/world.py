"""A small ecosystem built to make every filter's answer unambiguous."""

import datetime

from django.utils import timezone

from ecosystem.core import counts
from tests import factories


def build():
    # One block of work: the counts per country and sector are made once, at its end.
    with counts.deferred():
        return make()


def make():
    year = timezone.localdate().year
    date = datetime.date
    w = {}
    w["SN"] = factories.CountryFactory(code="SN", region="west_africa")
    w["ML"] = factories.CountryFactory(code="ML", region="west_africa")
    w["BF"] = factories.CountryFactory(code="BF", region="west_africa")
    w["CI"] = factories.CountryFactory(code="CI", region="west_africa")
    w["digital"] = factories.SectorFactory(
        slug="digital-technology", name_en="Digital technology", name_fr="Technologies numériques"
    )
    w["it-bpo"] = factories.SectorFactory(
        slug="it-bpo", name_en="IT & BPO", name_fr="Informatique et BPO", parent=w["digital"]
    )
    w["agrifood"] = factories.SectorFactory(
        slug="agri-food", name_en="Agri-food processing", name_fr="Transformation agroalimentaire"
    )
    w["afd"] = factories.OrganizationFactory(
        slug="afd",
        name_en="French Development Agency",
        name_fr="Agence française de développement",
        acronym="AFD",
        kind="funder",
        countries=[w["SN"]],
    )
    w["itc"] = factories.OrganizationFactory(
        slug="itc",
        name_en="International Trade Centre",
        name_fr="Centre du commerce international",
        acronym="ITC",
        kind="international_agency",
    )
    w["optic"] = factories.OrganizationFactory(
        slug="optic",
        name_en="OPTIC",
        name_fr="OPTIC",
        kind="association",
        summary_fr="Organisation sénégalaise des professionnels du numérique",
        countries=[w["SN"]],
        sectors=[w["it-bpo"]],
    )
    w["sme"] = factories.OrganizationFactory(
        slug="agro-thies",
        name_en="Agro Thiès",
        name_fr="Agro Thiès",
        kind="sme",
        countries=[w["SN"]],
        sectors=[w["agrifood"]],
    )
    w["hidden-org"] = factories.OrganizationFactory(
        slug="hidden-org", kind="association", countries=[w["SN"]], publication_status="draft"
    )
    w["closed"] = factories.ProgrammeFactory(
        slug="digital-mali",
        name_en="Digital Mali",
        name_fr="Mali numérique",
        countries=[w["ML"]],
        sectors=[w["it-bpo"]],
        start=date(year - 8, 1, 1),
        start_precision="year",
        end=date(year - 4, 12, 31),
        end_precision="year",
    )
    w["active"] = factories.ProgrammeFactory(
        slug="agri-senegal",
        name_en="Agri Senegal",
        name_fr="Agri Sénégal",
        countries=[w["SN"]],
        sectors=[w["agrifood"]],
        start=date(year - 2, 7, 1),
        start_precision="month",
        end=date(year + 3, 6, 30),
        end_precision="month",
    )
    w["planned"] = factories.ProgrammeFactory(
        slug="digital-sahel",
        name_en="Digital Sahel",
        name_fr="Sahel numérique",
        countries=[w["SN"], w["ML"]],
        sectors=[w["digital"]],
        start=date(year + 2, 1, 1),
        start_precision="year",
    )
    w["phase"] = factories.ProgrammeFactory(
        slug="agri-senegal-2",
        name_en="Agri Senegal phase 2",
        name_fr="Agri Sénégal phase 2",
        countries=[w["SN"]],
        sectors=[w["agrifood"]],
        parent=w["active"],
    )
    w["draft"] = factories.ProgrammeFactory(
        slug="draft-programme",
        countries=[w["ML"]],
        sectors=[w["digital"]],
        publication_status="draft",
        start=date(year - 1, 1, 1),
    )
    for programme, organization, role in [
        ("closed", "afd", "funding"),
        ("active", "afd", "funding"),
        ("closed", "itc", "implementing"),
        ("planned", "itc", "implementing"),
        ("active", "optic", "partner"),
        ("draft", "afd", "funding"),
    ]:
        factories.ProgrammeRoleFactory(
            programme=w[programme], organization=w[organization], role=role
        )
    factories.ProgrammeRoleFactory(programme=w["active"], organization=w["sme"], role="beneficiary")
    w["series"] = factories.EventSeriesFactory(slug="sipen", name_en="SIPEN", name_fr="SIPEN")
    w["past-event"] = factories.EventFactory(
        slug="consultation-dakar",
        name_en="Sector consultation in Dakar",
        name_fr="Consultation sectorielle à Dakar",
        kind="consultation",
        countries=[w["SN"]],
        sectors=[w["it-bpo"]],
        programme=w["closed"],
        city="Dakar",
        country=w["SN"],
        status="held",
        start=date(year - 5, 7, 4),
        end=date(year - 5, 7, 5),
    )
    w["future-event"] = factories.EventFactory(
        slug="sipen-next",
        name_en="SIPEN next",
        name_fr="SIPEN prochain",
        kind="trade_show",
        series=w["series"],
        countries=[w["SN"]],
        sectors=[w["digital"]],
        city="Thiès",
        country=w["SN"],
        start=date(year + 1, 5, 1),
        start_precision="month",
    )
    w["mission"] = factories.EventFactory(
        slug="mission-bamako",
        name_en="Mission to Bamako",
        name_fr="Mission à Bamako",
        kind="mission",
        countries=[w["ML"]],
        sectors=[w["agrifood"]],
        start=date(year - 1, 6, 1),
        start_precision="month",
        status="held",
    )
    w["draft-event"] = factories.EventFactory(
        slug="draft-event",
        countries=[w["SN"]],
        publication_status="draft",
        start=date(year + 1, 1, 1),
    )
    factories.EventRoleFactory(event=w["past-event"], organization=w["itc"], role="organizer")
    factories.EventRoleFactory(event=w["past-event"], organization=w["optic"], role="co_organizer")
    return w
