"""Find support: four answers, the open calls, programmes, organizations and events that
fit, ranked, each with its reasons; the same as an API call; bad answers refused with a
message, never a 500."""

import datetime

import pytest
from django.utils import translation

from opportunities.support import Answers, SupportForm, find_support
from tests import factories
from tests.helpers import count_queries, html, url
from tests.test_opportunities import call, calls, frozen  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

ANSWER = "?country=SN&sector=digital-technology&stage=2&need=funding"


@pytest.fixture
def ecosystem(calls):  # noqa: F811 (the fixture)
    senegal = calls["later"].countries.get()
    digital = calls["later"].sectors.get()
    factories.ProgrammeFactory(
        slug="digital-programme",
        name_en="Digital programme",
        name_fr="Programme numérique",
        start=datetime.date(2024, 1, 1),
        end=datetime.date(2027, 12, 31),
        countries=[senegal],
        sectors=[digital],
    )
    factories.OrganizationFactory(
        slug="incubator",
        name_en="Incubator",
        name_fr="Incubateur",
        countries=[senegal],
        sectors=[digital],
    )
    # Open to any country and sector: fits, after those naming Senegal.
    call(
        "anywhere-grant",
        "Anywhere grant",
        "Subvention partout",
        kind="grant",
        deadline=datetime.date(2026, 6, 25),
    )
    return calls


def test_senegal_digital_startup_funding_gets_the_open_calls_that_fit_with_reasons(
    client, ecosystem
):
    page = html(client.get(url("opportunities:find-support", "en") + ANSWER))
    found = page[page.index("<h3>Open calls</h3>") : page.index("<h3>Programmes</h3>")]
    assert found.index("Startup grant") < found.index("Anywhere grant")
    for absent in ("Export mission", "Passed call", "Next cohort", "Rolling training"):
        assert absent not in found  # a mission is no funding; closed; not open yet; Mali
    assert (
        "open to Senegal · Digital technology · early stage · funding · open (as of May 2026)"
        in found
    )
    assert "open to every country · any sector · early stage · funding" in found
    assert "Digital programme" in page and "in Senegal · Digital technology" in page
    assert "Incubator" in page
    page = html(client.get(url("opportunities:find-support", "fr") + ANSWER))
    reason = "pays éligible : Sénégal · Numérique · en démarrage · financement · ouvert"
    assert f"{reason} (état connu en mai 2026)" in page
    assert "Appels ouverts" in page and "Trouver un appui" in page
    # The deadlines of these calls, in a calendar to subscribe to; the list of them.
    query = "open=yes&amp;country=SN&amp;sector=digital-technology&amp;stage=2&amp;kind=call"
    assert f'href="/deadlines.ics?{query}&amp;kind=grant&amp;kind=cohort"' in page
    assert f'href="/fr/opportunites/?{query}&amp;kind=grant&amp;kind=cohort"' in page


def test_the_form_alone_asks_and_answers_nothing(client, ecosystem):
    page = html(client.get(url("opportunities:find-support", "en")))
    assert 'name="country"' in page and 'name="need"' in page
    assert "Open calls" not in page


def test_bad_answers_get_a_message_not_a_500(client, ecosystem):
    response = client.get(url("opportunities:find-support", "en") + "?country=XX&stage=7")
    page = html(response)
    assert "Select a valid choice." in page
    response = client.get("/api/v1/find-support/?country=XX&need=luck")
    assert response.status_code == 400
    assert set(response.json()) == {"country", "need"}


def test_the_api_answers_the_same(client, ecosystem):
    answer = client.get("/api/v1/find-support/" + ANSWER, HTTP_ACCEPT_LANGUAGE="en").json()
    assert answer["query"] == {
        "country": "SN",
        "sector": "digital-technology",
        "stage": 2,
        "need": ["funding"],
    }
    assert [m["slug"] for m in answer["opportunities"]] == ["startup-grant", "anywhere-grant"]
    first = answer["opportunities"][0]
    assert first["status"] == "open" and first["deadline"] == "2026-08-31"
    assert first["reasons"][:4] == [
        "open to Senegal",
        "Digital technology",
        "early stage",
        "funding",
    ]
    assert [m["slug"] for m in answer["programmes"]] == ["digital-programme"]
    # The reasons in the visitor's language, French by default.
    french = client.get("/api/v1/find-support/" + ANSWER).json()
    assert french["opportunities"][0]["reasons"][0] == "pays éligible : Sénégal"


def test_the_function_the_alerts_call(ecosystem):
    form = SupportForm({"country": "sn", "need": ["markets"]})
    assert form.is_valid()
    with translation.override("en"):
        support = find_support(Answers.from_form(form))
    assert [m.record.slug for m in support.opportunities] == ["export-mission"]
    assert support.opportunities[0].reason.startswith("open to Senegal")


def test_as_many_queries_with_ten_times_the_records(client, ecosystem):
    path = url("opportunities:find-support", "en") + ANSWER
    before = count_queries(lambda: client.get(path))
    senegal = ecosystem["later"].countries.get()
    digital = ecosystem["later"].sectors.get()
    for number in range(30):
        call(
            f"more-{number}",
            f"More {number}",
            f"Plus {number}",
            kind="grant",
            deadline=datetime.date(2026, 7, 1),
            countries=[senegal],
            sectors=[digital],
        )
        factories.OrganizationFactory(countries=[senegal], sectors=[digital])
    assert count_queries(lambda: client.get(path)) == before
