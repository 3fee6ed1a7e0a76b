"""Opportunities (calls, grants, trainings, missions): their status from the clock, in
Dakar's time zone; their list, filters, page, export, API, calendar, and everywhere a
record type appears."""

import csv
import datetime
import io
import json
import zoneinfo

import pytest
from django.utils import timezone

from ecosystem.opendata.dataset import export
from opportunities.models import Opportunity, Status
from tests import factories
from tests.helpers import admin_url, count_queries, html, shown, url

pytestmark = pytest.mark.django_db

DAKAR = zoneinfo.ZoneInfo("Africa/Dakar")
TODAY = datetime.date(2026, 6, 10)
NOON = datetime.datetime(2026, 6, 10, 12, 0, tzinfo=DAKAR)


def at(day, hour=12, minute=0, second=0):
    return datetime.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=DAKAR)


@pytest.fixture
def frozen(monkeypatch):
    """Today is 10 June 2026, noon in Dakar."""
    monkeypatch.setattr(timezone, "now", lambda: NOON)
    return NOON


def call(slug, name_en, name_fr, **values):
    values.setdefault("sources", [factories.SourceFactory(published=datetime.date(2026, 5, 2))])
    return factories.OpportunityFactory(slug=slug, name_en=name_en, name_fr=name_fr, **values)


@pytest.fixture
def calls(frozen):
    senegal = factories.CountryFactory(code="SN", name_en="Senegal", name_fr="Sénégal")
    mali = factories.CountryFactory(code="ML", name_en="Mali", name_fr="Mali")
    digital = factories.SectorFactory(
        slug="digital-technology", name_en="Digital technology", name_fr="Numérique"
    )
    agri = factories.SectorFactory(slug="agribusiness", name_en="Agribusiness", name_fr="Agro")
    optic = factories.OrganizationFactory(slug="optic", name_en="OPTIC", name_fr="OPTIC")
    ntf = factories.ProgrammeFactory(slug="ntf-v", name_en="NTF V", name_fr="NTF V")
    made = {
        "later": call(
            "startup-grant",
            "Startup grant",
            "Subvention startups",
            kind="grant",
            deadline=datetime.date(2026, 8, 31),
            amount_max=50000,
            currency="EUR",
            stage_from=2,
            stage_to=2,
            countries=[senegal],
            sectors=[digital],
            programme=ntf,
        ),
        "soon": call(
            "export-mission",
            "Export mission",
            "Mission export",
            kind="mission",
            deadline=datetime.date(2026, 6, 20),
            countries=[senegal, mali],
            sectors=[digital],
        ),
        "rolling": call(
            "rolling-training",
            "Rolling training",
            "Formation continue",
            kind="training",
            rolling=True,
            countries=[mali],
            sectors=[agri],
        ),
        "yesterday": call(
            "passed-call",
            "Passed call",
            "Appel passé",
            kind="call",
            deadline=datetime.date(2026, 6, 9),
            countries=[senegal],
            sectors=[digital],
        ),
        "upcoming": call(
            "next-cohort",
            "Next cohort",
            "Prochaine cohorte",
            kind="cohort",
            opens=datetime.date(2026, 7, 1),
            deadline=datetime.date(2026, 9, 1),
            countries=[senegal],
            sectors=[digital],
        ),
        "draft": call(
            "hidden-call",
            "Hidden call",
            "Appel caché",
            publication_status="draft",
            deadline=datetime.date(2026, 8, 1),
            countries=[senegal],
        ),
    }
    factories.OpportunityRoleFactory(opportunity=made["later"], organization=optic)
    return made
