"""Staff roles: Editors write drafts and submit them for review; Publishers publish,
unpublish, archive and revert. The review queue lists what waits, the longest first."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils.translation import ngettext_lazy

from ecosystem.core.records import record_type
from ecosystem.core.registry import registry
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


# What the groups held when migration ecosystem 0007 made them, for the apps of then.
EDITING = {"add", "change", "view"}
PUBLISHING = {"add", "change", "view", "delete"}
GROUPS_OF_0007 = {
    "Editor": {
        **dict.fromkeys(
            [
                "ecosystem.country",
                "ecosystem.sector",
                "ecosystem.source",
                "events.event",
                "events.eventrole",
                "events.eventseries",
                "events.eventseriesrole",
                "members.membership",
                "members.organization",
                "programmes.indicator",
                "programmes.programme",
                "programmes.programmerole",
                "programmes.site",
            ],
            EDITING,
        ),
        "suggestions.suggestion": {"change", "view"},
    },
    "Publisher": {
        **dict.fromkeys(
            [
                "ecosystem.country",
                "ecosystem.sector",
                "ecosystem.source",
                "events.eventrole",
                "events.eventseriesrole",
                "members.membership",
                "programmes.indicator",
                "programmes.programmerole",
                "programmes.site",
            ],
            PUBLISHING,
        ),
        **dict.fromkeys(
            [
                "events.event",
                "events.eventseries",
                "members.organization",
                "programmes.programme",
            ],
            PUBLISHING | {"publish"},
        ),
        "suggestions.suggestion": {"change", "view", "delete"},
    },
}


def held(name):
    """{"app.model": {its actions}} the group may do."""
    actions = {}
    for app, model, codename in Group.objects.get(name=name).permissions.values_list(
        "content_type__app_label", "content_type__model", "codename"
    ):
        actions.setdefault(f"{app}.{model}", set()).add(codename.split("_")[0])
    return actions


def test_the_groups_hold_what_migration_0007_gave_them():
    for name, expected in GROUPS_OF_0007.items():
        assert {model: held(name)[model] for model in expected} == expected
        assert set(held(name)) - set(expected) <= {*new_models(), "ecosystem.job", *IATI}, name


def staff_models():
    """Every model of the core and of each app that registers a record type, but their
    versions and the tables the site keeps itself."""
    names = {"ecosystem", *registry.app_names()}
    return [
        model
        for config in apps.get_app_configs()
        if config.name in names
        for model in config.get_models()
        if not model._meta.model_name.startswith("historical")
        and model._meta.model_name not in SITE_KEPT
    ]


# Tables the site keeps itself: staff see the jobs, and only Publishers retry one.
SITE_KEPT = {"dataversion", "hubcount", "job", "jobprogress", "scheduledrun"}


# What the IATI app grants (iati/apps.py): everyone reads what imports did; Editors keep
# the sector mapping and the matches; only Publishers choose the sources the site fetches.
IATI = {"iati.activity", "iati.conflict", "iati.syncsource", "iati.sectormapping"}
IATI |= {"iati.knownorganization"}


def test_staff_read_the_iati_imports_and_only_publishers_choose_the_sources():
    editing = {"add", "change", "view", "delete"}
    for name in ("Editor", "Publisher"):
        assert held(name)["iati.activity"] == held(name)["iati.conflict"] == {"view"}
        assert held(name)["iati.sectormapping"] == held(name)["iati.knownorganization"] == editing
    assert held("Editor")["iati.syncsource"] == {"view"}
    assert held("Publisher")["iati.syncsource"] == editing


def test_staff_see_the_jobs_and_only_publishers_retry_them():
    assert held("Editor")["ecosystem.job"] == {"view"}
    assert held("Publisher")["ecosystem.job"] == {"view", "retry"}
    assert "ecosystem.scheduledrun" not in held("Publisher")


def new_models():
    """Models of the record types' apps since migration 0007."""
    return [
        label
        for label in (model._meta.label_lower for model in staff_models())
        if label not in GROUPS_OF_0007["Editor"]
    ]


def test_every_model_of_every_record_app_is_in_the_groups():
    # A type registered tomorrow is covered here with no edit: its app is in the registry.
    editor, publisher = held("Editor"), held("Publisher")
    for model in staff_models():
        label = model._meta.label_lower
        publish = "publish" in model._meta.default_permissions
        assert editor.get(label) == EDITING, label
        assert publisher.get(label) == PUBLISHING | ({"publish"} if publish else set()), label


@pytest.fixture
def attempts_type():
    """A record type of an app the groups know nothing of (django-axes's attempts)."""
    attempts = record_type(
        key="attempts",
        position=99,
        model=AccessAttempt,
        title="Attempts",
        count_label=ngettext_lazy("%(counter)s attempt", "%(counter)s attempts", "counter"),
        description="Attempts.",
    )
    registry.register(attempts)
    yield attempts
    del registry._types["attempts"]


def test_a_newly_registered_type_brings_its_app_into_the_groups_at_migrate(attempts_type):
    assert "axes.accessattempt" not in held("Editor")
    call_command("migrate", verbosity=0)
    assert held("Editor")["axes.accessattempt"] == EDITING
    assert held("Publisher")["axes.accessattempt"] == PUBLISHING
    assert held("Publisher")["axes.accesslog"] == PUBLISHING
    # And the others still hold what they held.
    test_the_groups_hold_what_migration_0007_gave_them()


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


def test_migrate_keeps_what_staff_changed_in_the_groups(db):
    """Staff data is sacred: a permission given to a group by hand stays, one taken away
    stays away; migrate only brings models the groups hold nothing of yet."""
    from django.contrib.auth.models import Permission

    editor = Group.objects.get(name="Editor")
    editor.permissions.add(Permission.objects.get(codename="delete_source"))
    editor.permissions.remove(Permission.objects.get(codename="change_programme"))
    call_command("migrate", verbosity=0)
    assert "delete" in held("Editor")["ecosystem.source"]
    assert held("Editor")["programmes.programme"] == EDITING - {"change"}
