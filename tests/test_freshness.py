"""Keeping records current: staff mark what they checked, pages say when a record may be
out of date, a staff page lists what nobody has checked; staff preview drafts; an
organization's contact details."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from members.models import Organization
from tests import factories
from tests.helpers import html, url

pytestmark = pytest.mark.django_db


def age(record, days):
    """Make `record` look added `days` ago."""
    moment = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=days)
    type(record).objects.filter(pk=record.pk).update(created=moment)


@pytest.mark.parametrize(
    ("language", "stale"),
    [("en", "it may be out of date"), ("fr", "elle est peut-être dépassée")],
)
def test_a_record_nobody_checked_for_18_months_says_so(client, language, stale):
    fresh = factories.OrganizationFactory(slug="fresh")
    old = factories.OrganizationFactory(slug="old")
    age(old, 560)  # a little more than 18 months
    verified = factories.OrganizationFactory(slug="verified", last_verified=datetime.date.today())
    age(verified, 900)

    def page(slug):
        return html(client.get(url("members:organization-detail", language, slug=slug)))

    assert stale not in page("fresh")
    assert stale in page("old")
    assert stale not in page("verified")
    assert set(Organization.objects.stale().values_list("slug", flat=True)) == {"old"}
    assert fresh.may_be_out_of_date is False


def test_staff_mark_records_verified_and_find_the_stale_ones(staff_client):
    old = factories.OrganizationFactory(slug="old", name_en="Old one", name_fr="Old one")
    age(old, 700)
    older = factories.OrganizationFactory(slug="older", name_en="Older one", name_fr="Older one")
    age(older, 800)
    factories.ProgrammeFactory(slug="new", name_en="New one", name_fr="New one")
    assert 'href="/admin/work/to-check/"' in html(staff_client.get("/admin/"))
    page = html(staff_client.get("/admin/work/to-check/"))
    assert page.index("Older one") < page.index("Old one")  # the longest unchecked first
    assert "New one" not in page
    assert html(staff_client.get("/admin/members/organization/?freshness=stale")).count(
        "/admin/members/organization/" + str(old.pk) + "/change/"
    )
    response = staff_client.post(
        "/admin/members/organization/",
        {"action": "mark_verified", "_selected_action": [old.pk]},
        follow=True,
    )
    assert response.status_code == 200
    old.refresh_from_db()
    assert old.last_verified == datetime.date.today()
    assert old.verified_by.username == "staff"
    assert old.history.first().history_change_reason == "bulk-action verified"
    assert "Old one" not in html(staff_client.get("/admin/work/to-check/"))
    # The API and the CSV carry it.
    old.publication_status = "published"
    old.save()
    assert staff_client.get("/api/v1/organizations/old/").json()["last_verified"] == (
        datetime.date.today().isoformat()
    )


def test_the_public_cannot_see_the_staff_page(client, db):
    assert client.get("/admin/work/to-check/").status_code == 302  # to the log-in page


@pytest.mark.parametrize(("language", "banner"), [("en", "Not published"), ("fr", "Non publiée")])
def test_staff_preview_a_draft_that_the_public_cannot_see(staff_client, language, banner):
    factories.ProgrammeFactory(slug="draft-one", publication_status="draft")
    assert Client().get(f"/{language}/programmes/draft-one/").status_code == 404
    page = html(staff_client.get(f"/{language}/programmes/draft-one/"))
    assert banner in page
    published = factories.ProgrammeFactory(slug="public-one")
    assert banner not in html(staff_client.get(f"/{language}/programmes/{published.slug}/"))


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_organization_shows_its_contact_details(client, language):
    factories.OrganizationFactory(
        slug="contact",
        email="hello@example.org",
        phone="+221 33 869 00 00",
        address="Rue 10, BP 1234",
        hq_city="Dakar",
        linkedin="https://www.linkedin.com/company/example",
        x="https://x.com/example",
        facebook="https://www.facebook.com/example",
    )
    page = html(client.get(url("members:organization-detail", language, slug="contact")))
    assert 'href="mailto:hello@example.org"' in page
    assert 'href="tel:+221338690000"' in page
    assert "Rue 10, BP 1234, Dakar" in page
    assert 'href="https://x.com/example"' in page
    assert '"telephone": "+221 33 869 00 00"' in page  # JSON-LD
    assert '"https://www.linkedin.com/company/example"' in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "33 869 00 00", "international form"),
        ("phone", "+221 33 <script>", "international form"),
        ("linkedin", "https://example.org/me", "linkedin.com"),
        ("x", "https://facebook.com/me", "x.com or twitter.com"),
        ("facebook", "https://evil.example/facebook.com", "facebook.com"),
        ("email", "not-an-email", "email"),
    ],
)
def test_contact_details_are_checked_with_clear_messages(field, value, message):
    organization = factories.OrganizationFactory.build(**{field: value})
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            organization.full_clean(exclude=["slug"])
        assert message in " ".join(error.value.message_dict[field])
