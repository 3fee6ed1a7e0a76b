"""Staff roles: Editors write drafts and submit them for review; Publishers publish,
unpublish, archive and revert. The review queue lists what waits, the longest first."""

import datetime

import pytest
from django.contrib.auth.models import Group

from programmes.models import Programme
from tests import factories
from tests.helpers import html

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, django_user_model):
    def log_in(group):
        user = django_user_model.objects.create_user(group.lower(), password="pw", is_staff=True)
        user.groups.add(Group.objects.get(name=group))
        client.force_login(user)
        return client

    return log_in


def test_the_groups_exist_with_their_permissions(db):
    editor = set(Group.objects.get(name="Editor").permissions.values_list("codename", flat=True))
    publisher = set(
        Group.objects.get(name="Publisher").permissions.values_list("codename", flat=True)
    )
    assert {"add_programme", "change_programme", "add_source", "change_programmerole"} <= editor
    assert not {"publish_programme", "delete_programme"} & editor
    assert {"publish_programme", "publish_organization", "publish_event"} <= publisher
    assert {"publish_eventseries", "delete_site"} <= publisher


def publish_action(client, programme):
    return client.post(
        "/admin/programmes/programme/",
        {"action": "publish", "_selected_action": [programme.pk]},
        follow=True,
    )


def test_an_editor_cannot_publish_and_a_publisher_can(staff):
    programme = factories.ProgrammeFactory(
        publication_status="review", sources=[factories.SourceFactory()]
    )
    editor = staff("Editor")
    page = html(editor.get("/admin/programmes/programme/"))
    assert 'value="publish"' not in page and 'value="mark_verified"' in page
    publish_action(editor, programme)
    programme.refresh_from_db()
    assert programme.publication_status == "review"
    # The form offers an Editor draft and review only.
    form = html(editor.get(f"/admin/programmes/programme/{programme.pk}/change/"))
    status = form[form.index('name="publication_status"') :]
    status = status[: status.index("</select>")]
    assert 'value="review"' in status and 'value="published"' not in status
    publisher = staff("Publisher")
    publish_action(publisher, programme)
    programme.refresh_from_db()
    assert programme.publication_status == "published"


def test_an_editor_cannot_revert_and_a_publisher_can(staff):
    programme = factories.ProgrammeFactory(sources=[factories.SourceFactory()])
    for name in ("First", "Second"):
        programme.name_en = name
        programme.save()
    version = programme.history.get(name_en="First")
    url = f"/admin/programmes/programme/{programme.pk}/history/{version.history_id}/revert/"
    assert staff("Editor").get(url).status_code == 403
    assert staff("Publisher").post(url).status_code == 302
    programme.refresh_from_db()
    assert programme.name_en == "First"


def test_the_review_queue_lists_the_longest_waiting_first(staff):
    newer = factories.ProgrammeFactory(
        name_en="Newer", name_fr="Newer", publication_status="review"
    )
    older = factories.ProgrammeFactory(
        name_en="Older", name_fr="Older", publication_status="review"
    )
    factories.ProgrammeFactory(name_en="A draft", name_fr="A draft", publication_status="draft")
    Programme.objects.filter(pk=older.pk).update(updated=newer.updated - datetime.timedelta(days=3))
    client = staff("Editor")
    index = html(client.get("/admin/"))
    assert 'href="/admin/work/review/"' in index
    assert "(2)" in index[index.index('href="/admin/work/review/"') :][:80]
    page = html(client.get("/admin/work/review/"))
    assert page.index("Older") < page.index("Newer")
    assert "A draft" not in page
    assert client.get("/admin/work/nothing/").status_code == 404
