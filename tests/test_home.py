import pytest

from tests import factories
from tests.helpers import count_queries, html, url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "4 programmes",
                "3 organizations",
                "1 SME",
                "3 events",
                "Active programmes",
                'href="/en/programmes/agri-senegal/"',
                'href="/en/events/sipen-next/"',
                'href="/en/countries/sn/">Senegal</a>',
            ],
        ),
        (
            "fr",
            [
                "4 programmes",
                "3 organisations",
                "1 PME",
                "3 événements",
                "Programmes en cours",
                'href="/fr/evenements/consultation-dakar/"',
                'href="/fr/pays/sn/">Sénégal</a>',
            ],
        ),
    ],
)
def test_home(client, world, language, expected):
    page = html(client.get(url("home", language)))
    for text in expected:
        assert text in page
    assert "draft-programme" not in page


def test_home_does_not_grow_with_rows(client, world):
    before = count_queries(lambda: client.get(url("home", "en")))
    for number in range(6):
        factories.EventFactory(slug=f"event-{number}", countries=[world["SN"]])
        factories.ProgrammeFactory(slug=f"programme-{number}", countries=[world["SN"]])
    assert count_queries(lambda: client.get(url("home", "en"))) == before
