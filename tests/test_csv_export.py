"""CSV exports open right in spreadsheets: UTF-8 with a BOM, one row per record, readable
labels in the page's language, multi-valued fields joined readably."""

import csv
import io

import pytest

from ecosystem.core.registry import registry
from tests import factories
from tests.helpers import html, url

pytestmark = pytest.mark.django_db


def read(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    assert content.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_programmes_in_english(client, world):
    rows = read(client.get(url("programmes:programme-export", "en") + "?funder=afd"))
    assert [row["Name"] for row in rows] == ["Agri Senegal", "Digital Mali"]
    agri = rows[0]
    # Running because its planned end is still to come: the words and the basis say so.
    assert agri["Status"].startswith("running, planned until ")
    assert agri["Status basis"] == "derived_from_dates"
    assert agri["Roles"] == "beneficiary: Agro Thiès; funder: AFD; partner: OPTIC"
    assert agri["Countries"] == "Senegal"
    assert agri["Page"] == "http://testserver/en/programmes/agri-senegal/"


def test_programmes_in_french(client, world):
    rows = read(client.get(url("programmes:programme-export", "fr") + "?country=SN&country=ML"))
    sahel = next(row for row in rows if row["Nom"] == "Sahel numérique")
    assert sahel["Pays"] == "Mali; Sénégal" or sahel["Pays"] == "Sénégal; Mali"
    assert sahel["Statut"] == "prévu"
    assert sahel["Fondement du statut"] == "reported"
    assert sahel["Rôles"].startswith("opérateur")  # an implementing role, in plain words


def test_quoting_survives_commas_quotes_and_newlines(client, world):
    tricky = factories.OrganizationFactory(slug="tricky", kind="ngo")
    # A one-line field is saved without line breaks (ecosystem.core.text): this one was
    # stored raw, as text could be before.
    tricky.name_en = 'Comma, "quote" and\nnewline'
    type(tricky).objects.filter(pk=tricky.pk).update(name_en=tricky.name_en)
    rows = read(client.get(url("members:organization-export", "en") + "?kind=ngo"))
    assert rows[0]["Name"] == 'Comma, "quote" and\nnewline'


def test_events_and_smes(client, world):
    rows = read(client.get(url("events:event-export", "en") + "?kind=consultation"))
    assert rows[0]["Roles"] == "co-organizer: OPTIC; organizer: ITC"
    assert rows[0]["Country where held"] == "Senegal"
    assert [r["Name"] for r in read(client.get(url("members:sme-export", "en")))] == ["Agro Thiès"]


def test_every_list_links_its_export_with_the_filters(client, world):
    page = html(client.get(url("programmes:programme-list", "en") + "?country=ML"))
    assert 'href="/en/programmes/export.csv?country=ML"' in page


def test_bad_filters_do_not_break_the_export(client, world):
    rows = read(client.get(url("programmes:programme-export", "en") + "?country=XX&year=x"))
    assert len(rows) == 4


SHARED_TAIL = {
    "en": ["Summary", "Website", "Sources", "Last verified", "Last updated", "Page"],
    "fr": [
        "Résumé",
        "Site web",
        "Sources",
        "Dernière vérification",
        "Dernière mise à jour",
        "Page",
    ],
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_export_names_its_records_first_and_ends_with_what_every_record_has(
    client, world, language
):
    for record_type in registry:
        response = client.get(url(record_type.export_url, language))
        header = next(
            csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
        )
        assert header[0] == {"en": "Name", "fr": "Nom"}[language], record_type.key
        assert header[-6:] == SHARED_TAIL[language], record_type.key
