"""Anyone may suggest a record or a correction; nothing is published before staff accept
it, and then it arrives as a draft (or updates its record) citing the suggestion."""

import pytest
from django.contrib.auth.models import Group

from members.models import Organization
from suggestions.models import Suggestion
from tests.helpers import html, url

pytestmark = pytest.mark.django_db

NEW_SME = {
    "record_type": "smes",
    "name": "Agro Sahel Tech",
    "summary": "Makes solar dryers for mango growers.",
    "countries": "Sénégal",
    "sectors": "agritech",
    "phone": "+221 77 123 45 67",
    "submitter_name": "Awa",
    "submitter_email": "awa@example.org",
    "source": "https://example.org/agro-sahel-tech",
}


@pytest.mark.parametrize(("language", "path"), [("en", "/en/suggest/"), ("fr", "/fr/proposer/")])
def test_a_suggestion_is_confirmed_and_never_public_before_acceptance(
    client, seeded, language, path
):
    page = html(client.get(path))
    assert 'name="website_url"' in page  # the honeypot, hidden by the stylesheet
    response = client.post(path, NEW_SME)
    assert response.status_code == 302
    confirmation = html(client.get(response["Location"]))
    assert ("Thank you" if language == "en" else "Merci") in confirmation
    assert Suggestion.objects.get().name == "Agro Sahel Tech"
    assert not Organization.objects.filter(name_en="Agro Sahel Tech").exists()
    assert "Agro Sahel Tech" not in html(client.get(url("search", language), {"q": "agro sahel"}))


def test_bad_input_gets_clear_messages_and_is_kept(client, seeded):
    response = client.post(
        "/en/suggest/",
        {**NEW_SME, "countries": "Atlantis", "phone": "12", "linkedin": "https://example.org/x"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "No country “Atlantis”" in page
    assert "international form" in page
    assert "A LinkedIn link is an address on linkedin.com" in page
    assert 'value="Agro Sahel Tech"' in page  # nothing typed is lost
    assert not Suggestion.objects.exists()


def test_the_honeypot_and_the_rate_limit_refuse(client, seeded):
    response = client.post("/en/suggest/", {**NEW_SME, "website_url": "http://spam.example"})
    assert response.status_code == 400 and not Suggestion.objects.exists()
    for _ in range(4):
        client.post("/en/suggest/", NEW_SME)
    response = client.post("/en/suggest/", NEW_SME)
    assert response.status_code == 429
    assert "several suggestions in the last hour" in response.content.decode()
    assert Suggestion.objects.count() == 4


@pytest.mark.parametrize(
    ("path", "message", "limit"),
    [
        ("/en/suggest/", "Give the name of the record you propose.", "You have sent several"),
        ("/fr/proposer/", "Indiquez le nom de la fiche que vous proposez.", "Vous avez envoyé"),
    ],
)
def test_an_empty_form_gets_its_messages_even_past_the_limit(client, db, path, message, limit):
    # Found by the fuzzing (tests/fuzz): an empty POST was an unbound form, shown with no
    # message, and past the limit a 500.
    response = client.post(path, {})
    assert response.status_code == 400
    assert message in response.content.decode()
    for _ in range(4):
        client.post(path, {})
    response = client.post(path, {})
    assert response.status_code == 429
    assert limit in response.content.decode()


def test_a_correction_link_on_every_page_opens_the_form_about_that_record(client, seeded):
    page = html(client.get("/en/organizations/optic/"))
    assert 'href="/en/suggest/?record=organizations:optic"' in page
    form = html(client.get("/en/suggest/?record=organizations:optic"))
    assert "Suggest a correction to" in form and "OPTIC" in form


@pytest.mark.parametrize("record", ["organizations:opt%00ic", "organizations:nope", "nope:optic"])
def test_a_correction_link_naming_no_record_opens_the_plain_form(client, world, record):
    # A NUL character in the slug was a 500 on PostgreSQL, which refuses it in a query.
    form = html(client.get(f"/en/suggest/?record={record}"))
    assert "Suggest a correction to" not in form
    assert "Suggest a record" in form


def staff_of(client, django_user_model, group):
    user = django_user_model.objects.create_user(group, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return client


def test_accepting_creates_a_draft_citing_the_suggestion(client, seeded, django_user_model):
    client.post("/en/suggest/", NEW_SME)
    suggestion = Suggestion.objects.get()
    staff = staff_of(client, django_user_model, "Editor")
    assert "Agro Sahel Tech" in html(staff.get("/admin/suggestions/suggestion/"))
    staff.post(
        "/admin/suggestions/suggestion/",
        {"action": "accept_suggestions", "_selected_action": [suggestion.pk]},
    )
    record = Organization.objects.get(name_en="Agro Sahel Tech")
    assert (record.publication_status, record.kind) == ("draft", "sme")
    assert record.phone == "+221 77 123 45 67"
    assert set(record.countries.values_list("code", flat=True)) == {"SN"}
    assert record.sources.get().url == "https://example.org/agro-sahel-tech"
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.result_slug) == ("accepted", record.slug)


def test_an_accepted_correction_shows_on_the_public_page(client, seeded, django_user_model):
    client.post(
        "/fr/proposer/?record=organizations:optic",
        {
            "record_type": "organizations",
            "phone": "+221 33 000 11 22",
            "linkedin": "https://www.linkedin.com/company/optic-senegal",
            "submitter_name": "Moussa",
            "submitter_email": "m@example.org",
            "source": "Site de l'OPTIC, page contact",
        },
    )
    suggestion = Suggestion.objects.get()
    assert suggestion.kind == "correction" and suggestion.record_slug == "optic"
    staff = staff_of(client, django_user_model, "Publisher")
    beside = html(staff.get(f"/admin/suggestions/suggestion/{suggestion.pk}/change/"))
    assert "https://www.linkedin.com/company/optic-senegal" in beside  # what is proposed
    assert "Organisation des Professionnels" in beside  # the record today, beside it
    staff.post(
        "/admin/suggestions/suggestion/",
        {"action": "accept_suggestions", "_selected_action": [suggestion.pk]},
    )
    staff.logout()
    optic = Organization.objects.get(slug="optic")
    assert optic.history.first().history_change_reason == f"suggestion {suggestion.pk}"
    assert optic.history.first().prev_record.phone == ""  # the old value is kept
    page = html(client.get("/en/organizations/optic/"))
    assert "+221 33 000 11 22" in page
    assert 'href="https://www.linkedin.com/company/optic-senegal"' in page


def test_a_rejection_needs_its_reason(client, seeded, django_user_model):
    client.post("/en/suggest/", NEW_SME)
    suggestion = Suggestion.objects.get()
    staff = staff_of(client, django_user_model, "Editor")
    url = f"/admin/suggestions/suggestion/{suggestion.pk}/change/"
    response = staff.post(url, {"reason": "", "_reject": "Reject"})
    assert response.status_code == 200  # the form again, with the error
    assert "Dites pourquoi la suggestion est refusée." in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"
    staff.post(url, {"reason": "No source says it exists.", "_reject": "Reject"})
    suggestion.refresh_from_db()
    assert suggestion.status == "rejected"


def test_script_in_a_suggestion_comes_out_escaped(client, seeded, django_user_model):
    client.post("/en/suggest/", {**NEW_SME, "name": "<script>alert(1)</script>"})
    staff = staff_of(client, django_user_model, "Editor")
    page = html(staff.get("/admin/suggestions/suggestion/"))
    assert "<script>alert(1)</script>" not in page
