"""Staff screens offer only what does the work and what the person may do: a suggestion
is accepted or rejected by the buttons and the action that do it (its status is not a
field), and an Editor is offered neither a status nor a button that only a Publisher
may use; a forbidden value sent anyway is refused with a message."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group

from members.models import Organization
from suggestions.models import Suggestion
from tests import factories
from tests.helpers import admin_url, form_data, html

pytestmark = pytest.mark.django_db

SUGGESTION = {
    "kind": "new",
    "record_type": "smes",
    "name": "Agro Sahel Tech",
    "summary": "Makes solar dryers.",
    "submitter_name": "Awa",
    "submitter_email": "awa@example.org",
    "source": "https://example.org/agro-sahel-tech",
}


@pytest.fixture
def staff(client, django_user_model):
    def log_in(group, language="en"):
        user = django_user_model.objects.create_user(
            f"{group.lower()}-{language}", password="pw", is_staff=True
        )
        user.groups.add(Group.objects.get(name=group))
        client.force_login(user)
        client.cookies["django_language"] = language
        return client

    return log_in


def change_url(suggestion):
    return f"/admin/suggestions/suggestion/{suggestion.pk}/change/"


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_the_status_is_not_a_field_so_accepting_still_does_the_work(staff):
    suggestion = Suggestion.objects.create(**SUGGESTION)
    client = staff("Editor")
    page = html(client.get(change_url(suggestion)))
    assert 'name="status"' not in page
    assert 'name="_accept"' in page and 'name="_reject"' in page
    # What a changed status on the form did: "accepted", and nothing created.
    client.post(change_url(suggestion), {"status": "accepted", "reason": ""})
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"
    response = client.post(
        "/admin/suggestions/suggestion/",
        {"action": "accept_suggestions", "_selected_action": [suggestion.pk]},
        follow=True,
    )
    assert "1 suggestion accepted." in messages_of(response)
    assert Organization.objects.get(name_en="Agro Sahel Tech").publication_status == "draft"


@pytest.mark.parametrize(
    ("language", "accepted"),
    [("en", "The suggestion is accepted:"), ("fr", "La suggestion est acceptée :")],
)
def test_the_accept_button_creates_the_draft(staff, language, accepted):
    suggestion = Suggestion.objects.create(**SUGGESTION)
    client = staff("Editor", language)
    page = html(client.get(change_url(suggestion)))
    assert ("Accept: create the draft" if language == "en" else "Accepter : créer") in page
    response = client.post(change_url(suggestion), {"reason": "", "_accept": "1"}, follow=True)
    record = Organization.objects.get(name_en="Agro Sahel Tech")
    assert any(message.startswith(accepted) for message in messages_of(response))
    assert f"/admin/members/organization/{record.pk}/change/" in html(response)
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.result_slug) == ("accepted", record.slug)
    # Decided: no more buttons, and the list's action leaves it alone, saying so.
    assert 'name="_accept"' not in html(client.get(change_url(suggestion)))
    response = client.post(
        "/admin/suggestions/suggestion/",
        {"action": "accept_suggestions", "_selected_action": [suggestion.pk]},
        follow=True,
    )
    left_alone = "already accepted or rejected" if language == "en" else "déjà acceptée ou refusée"
    assert any(left_alone in message for message in messages_of(response))
    # A button sent anyway changes nothing, and says so.
    response = client.post(change_url(suggestion), {"reason": "No.", "_reject": "1"}, follow=True)
    assert any(left_alone in message for message in messages_of(response))
    suggestion.refresh_from_db()
    assert suggestion.status == "accepted"


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Say why the suggestion is rejected."),
        ("fr", "Dites pourquoi la suggestion est refusée."),
    ],
)
def test_the_reject_button_needs_a_reason(staff, language, message):
    suggestion = Suggestion.objects.create(**SUGGESTION)
    client = staff("Editor", language)
    response = client.post(change_url(suggestion), {"reason": " ", "_reject": "1"})
    assert response.status_code == 200 and message in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"
    client.post(change_url(suggestion), {"reason": "No source.", "_reject": "1"})
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.reason) == ("rejected", "No source.")
    assert not Organization.objects.filter(name_en="Agro Sahel Tech").exists()


def test_suggestions_marked_accepted_without_a_record_go_back_to_review(db):
    lost = Suggestion.objects.create(**SUGGESTION, status="accepted")
    done = Suggestion.objects.create(**SUGGESTION, status="accepted", result_slug="agro")
    migration = importlib.import_module(
        "suggestions.migrations.0004_clean_text_reopen_lost_acceptances"
    )
    migration.reopen_lost_acceptances(apps, None)
    lost.refresh_from_db()
    done.refresh_from_db()
    assert (lost.status, done.status) == ("pending", "accepted")


def status_options(page):
    select = page[page.index('name="publication_status"') :]
    return select[: select.index("</select>")]


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Only a Publisher publishes, unpublishes or archives a record."),
        ("fr", "Seul un éditeur (Publisher) publie, dépublie ou archive une fiche."),
    ],
)
def test_an_editor_is_offered_no_status_of_a_publisher(staff, language, message):
    programme = factories.ProgrammeFactory(
        publication_status="published", sources=[factories.SourceFactory()]
    )
    client = staff("Editor", language)
    url = admin_url(type(programme), "change", programme.pk)
    response = client.get(url)
    options = status_options(html(response))
    assert 'value="published"' in options
    assert 'value="archived"' not in options and 'value="draft"' not in options
    # Sent anyway: refused with a message, not ignored with "changed successfully".
    response = client.post(url, {**form_data(response), "publication_status": "archived"})
    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors["publication_status"])
    programme.refresh_from_db()
    assert programme.publication_status == "published"
    # Untouched, the form saves.
    assert client.post(url, form_data(client.get(url))).status_code == 302


def test_restore_and_revert_are_offered_only_to_a_publisher(staff):
    programme = factories.ProgrammeFactory(name_en="First", sources=[factories.SourceFactory()])
    programme.name_en = "Second"
    programme.save()
    gone = factories.ProgrammeFactory(name_en="Gone")
    gone.delete()
    history = admin_url(type(programme), "history", programme.pk)
    deleted = admin_url(type(programme), "deleted")
    editor = staff("Editor")
    assert "Revert to this version" not in html(editor.get(history))
    page = html(editor.get(deleted))
    assert "Gone" in page and 'value="Restore"' not in page
    assert "Only a Publisher can restore a deleted record" in page
    publisher = staff("Publisher")
    assert "Revert to this version" in html(publisher.get(history))
    assert 'value="Restore"' in html(publisher.get(deleted))
