"""A suggestion is bounded: each field by its length, the request by its size, and a
refused form shows again at most what each field can hold, never all that was sent
(issue 20: a rejected suggestion echoed up to 1 MB back)."""

from urllib.parse import urlencode

import pytest
from django import forms

from suggestions.forms import SuggestionForm
from suggestions.models import Suggestion
from suggestions.views import MAX_BODY

pytestmark = pytest.mark.django_db

SUGGESTION = {
    "record_type": "smes",
    "name": "Agro Sahel Tech",
    "submitter_name": "Awa",
    "submitter_email": "awa@example.org",
    "source": "https://example.org/agro",
}


def test_every_field_has_a_length_limit():
    form = SuggestionForm()
    for name, field in form.fields.items():
        if isinstance(field, forms.CharField):
            assert field.max_length, name


def test_a_form_filled_to_every_limit_fits_in_the_request_limit():
    # Four-byte characters, percent-encoded: twelve bytes each.
    form = SuggestionForm()
    full = {
        name: "😀" * (getattr(field, "max_length", None) or 20)
        for name, field in form.fields.items()
    }
    assert len(urlencode({**full, "csrfmiddlewaretoken": "x" * 64})) < MAX_BODY


@pytest.mark.parametrize(
    ("path", "too_long", "at_most"),
    [
        ("/en/suggest/", "Your suggestion is too long (1000 KB)", "at most 250 characters"),
        ("/fr/proposer/", "Votre suggestion est trop longue (1000 Ko)", "au plus 250 caractères"),
    ],
)
def test_a_megabyte_is_refused_without_being_sent_back(client, db, path, too_long, at_most):
    response = client.post(path, {**SUGGESTION, "name": "x" * 1_000_000})
    assert response.status_code == 413
    page = response.content.decode()
    assert too_long in page and at_most in page
    assert len(response.content) < 50_000
    assert not Suggestion.objects.exists()


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/en/suggest/", "Choose a kind of record from the list."),
        ("/fr/proposer/", "Choisissez un type de fiche dans la liste."),
    ],
)
def test_a_refused_form_shows_again_only_what_each_field_holds(client, db, path, message):
    response = client.post(
        path,
        {
            **SUGGESTION,
            "name": "n" * 260,
            "details": "d" * 3500,
            "record_type": "r" * 5000,
            "website_url": "w" * 5000,
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'value="' + "n" * 250 + '"' in page and "n" * 251 not in page
    assert "d" * 3000 in page and "d" * 3001 not in page
    assert "r" * 21 not in page and "w" * 301 not in page
