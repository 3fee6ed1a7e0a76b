"""The weekly staff digest ("Freshness"): each staff member gets by mail what waits for
them, in their language, with absolute links to the admin lists; nothing waits, no mail.
And a record's page says how long since staff verified it."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from ecosystem.core.digest import send_staff_digest
from ecosystem.core.models import PublicationStatus
from suggestions.models import Suggestion
from tests import factories
from tests.helpers import html, url

pytestmark = pytest.mark.django_db


def age(record, days):
    moment = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=days)
    type(record).objects.filter(pk=record.pk).update(created=moment)


@pytest.fixture
def staff(django_user_model):
    def make(username, group=None, **fields):
        fields = {"is_staff": True, "email": f"{username}@example.org", **fields}
        user = django_user_model.objects.create_user(username, password="pw", **fields)
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    return make


@pytest.fixture
def work():
    """Something on each of the staff's lists: a draft, one in review, one nobody checked
    for two years, a suggestion waiting."""
    factories.OrganizationFactory(
        name_en="Draft Org", name_fr="Org brouillon", publication_status=PublicationStatus.DRAFT
    )
    factories.ProgrammeFactory(publication_status=PublicationStatus.REVIEW)
    factories.ProgrammeFactory(publication_status=PublicationStatus.REVIEW)
    age(factories.EventFactory(), 800)
    Suggestion.objects.create(
        kind="new",
        record_type="smes",
        name="Agro Sahel Tech",
        submitter_name="Awa",
        submitter_email="awa@example.org",
        source="https://example.org/agro-sahel-tech",
    )


def sent_to(address):
    (message,) = [message for message in mail.outbox if message.to == [address]]
    (html_part, mimetype), *_ = message.alternatives
    assert mimetype == "text/html"
    return message, html_part


@pytest.mark.parametrize(
    ("language", "subject", "words"),
    [
        (
            "en",
            "[Tech-support directory] What waits for staff this week",
            ["Drafts (1)", "Review queue (2)", "Records to check (1)", "Suggestions to moderate"],
        ),
        (
            "fr",
            "[Annuaire de l’appui à la tech] Ce qui attend l’équipe cette semaine",
            ["Brouillons (1)", "File de relecture (2)", "Suggestions à modérer (1)"],
        ),
    ],
)
def test_each_staff_member_gets_what_waits_in_their_language(staff, work, language, subject, words):
    staff("editor", "Editor", first_name="Awa")
    staff("boss", is_superuser=True)
    with override_settings(LANGUAGE_CODE=language):
        assert send_staff_digest() == (2, 0)
    message, html_part = sent_to("editor@example.org")
    assert message.subject == subject
    for word in words:
        assert word in message.body
    assert "Awa" in message.body
    assert f'<html lang="{language}">' in html_part
    assert "style" not in html_part
    # Every link is absolute, to the admin lists the dashboard links to.
    links = re.findall(r'href="([^"]+)"', html_part)
    assert links
    assert all(link.startswith("http://testserver/admin/") for link in links)
    assert "http://testserver/admin/work/drafts/" in links
    assert "http://testserver/admin/members/organization/?publication_status__exact=draft" in links
    assert "http://testserver/admin/suggestions/suggestion/?status__exact=pending" in links
    assert "http://testserver/admin/work/drafts/" in message.body
    assert "&amp;" not in message.body


def test_the_words_are_french_for_french_readers(staff, work, settings):
    settings.LANGUAGE_CODE = "fr"
    staff("editor", "Editor")
    send_staff_digest()
    message, html_part = sent_to("editor@example.org")
    assert "Voici ce qui attend l’équipe" in message.body
    assert "Brouillons" in html_part
    assert "Drafts" not in message.body + html_part


def test_nothing_waits_no_mail(staff):
    staff("editor", "Editor")
    staff("boss", is_superuser=True)
    factories.OrganizationFactory()  # published, added today: nothing to do
    assert send_staff_digest() == (0, 0)
    assert mail.outbox == []


def test_only_active_staff_of_the_groups_get_it(staff, work):
    staff("publisher", "Publisher")
    staff("gone", "Editor", is_active=False)
    staff("visitor", is_staff=False)
    staff("staff-without-group")
    staff("no-admin", "Editor", is_staff=False)
    staff("no-address", "Editor", email="")
    send_staff_digest()
    assert [message.to for message in mail.outbox] == [["publisher@example.org"]]


def test_a_failed_send_is_counted_and_the_others_still_go(staff, work, settings):
    staff("editor", "Editor")
    staff("publisher", "Publisher")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens
    assert send_staff_digest() == (0, 2)
    with pytest.raises(CommandError, match="2 could not be sent"):
        call_command("send_staff_digest", verbosity=0)


def test_the_command_sends_or_shows_what_it_would_send(staff, work, capsys, settings):
    settings.LANGUAGE_CODE = "en"
    staff("editor", "Editor")
    call_command("send_staff_digest", "--dry-run")
    out = capsys.readouterr().out
    assert "To: editor <editor@example.org>" in out
    assert "Records to check (1)" in out
    assert "Would send 1 message(s)" in out
    assert mail.outbox == []
    call_command("send_staff_digest")
    assert "Sent 1 message(s)." in capsys.readouterr().out
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("language", "months_ago", "today"),
    [
        ("en", "Verified 3 months ago", "Verified today"),
        ("fr", "Fiche vérifiée il y a 3 mois", "Fiche vérifiée aujourd’hui"),
    ],
)
def test_a_record_page_says_how_long_since_it_was_verified(client, language, months_ago, today):
    checked = datetime.date.today() - datetime.timedelta(days=95)
    factories.OrganizationFactory(slug="checked", last_verified=checked)
    factories.OrganizationFactory(slug="today", last_verified=datetime.date.today())
    factories.OrganizationFactory(slug="never")

    def page(slug):
        # Django writes "3 months" with a no-break space, as French typography wants.
        page = html(client.get(url("members:organization-detail", language, slug=slug)))
        return page.replace("\xa0", " ")

    assert f'<time datetime="{checked:%Y-%m-%d}"' in page("checked")
    assert months_ago in page("checked")
    assert today in page("today")
    assert months_ago not in page("never") and today not in page("never")


def test_the_job_engine_sends_it_weekly(staff, work):
    from ecosystem.core.digest import staff_digest
    from ecosystem.jobs.schedule import SCHEDULES

    staff("editor", group="Editor")
    schedule = SCHEDULES[staff_digest.module_path]
    assert schedule.every == datetime.timedelta(weeks=1)
    assert staff_digest.call() == {"sent": 1, "failed": 0}
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("language", "words"), [("en", "Broken links (1)"), ("fr", "Liens cassés (1)")]
)
def test_it_names_the_broken_links(staff, language, words):
    from django.utils import timezone

    from ecosystem.core.links.models import LinkCheck

    staff("editor", "Editor")
    now = timezone.now()
    LinkCheck.objects.create(
        address="https://gone.example.org/",
        checked=now,
        outcome="broken",
        status=404,
        consecutive_failures=2,
        first_failed=now,
    )
    with override_settings(LANGUAGE_CODE=language):
        assert send_staff_digest() == (1, 0)
    (message,) = mail.outbox
    assert words in message.body
    assert "http://testserver/admin/ecosystem/linkcheck/?state=failing" in message.body
