"""A person's paths through the site, in a real browser."""

import re

import pytest

from tests.e2e.server import ADMIN_PASSWORD

pytestmark = pytest.mark.e2e


def test_filter_programmes_by_country_and_sector(page, site):
    page.goto(site + "/en/programmes/")
    page.get_by_role("group", name="Country").get_by_label("Mali").check()
    page.get_by_role("group", name="Sector").get_by_label("Digital technology").check()
    page.get_by_role("button", name="Apply filters").click()
    assert re.search(r"country=ML", page.url) and "sector=digital-technology" in page.url
    results = page.locator(".records h3").all_inner_texts()
    assert "Netherlands Trust Fund V" in " ".join(results)
    assert not any("HUB-IIT" in title for title in results)
    # The chips remove one filter at a time.
    page.get_by_role("link", name=re.compile("Remove the filter Country: Mali")).click()
    assert "country=ML" not in page.url and "sector=digital-technology" in page.url


def test_switching_language_keeps_the_filters(page, site):
    page.goto(site + "/en/programmes/?country=ML&status=closed")
    page.get_by_role("link", name="Français").click()
    assert page.url.endswith("/fr/programmes/?country=ML&status=closed")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == "Programmes"
    assert page.get_by_role("group", name="Pays").get_by_label("Mali").is_checked()


def test_search_without_accents(page, site):
    page.goto(site + "/fr/")
    page.get_by_label("Rechercher dans l’annuaire").fill("thies")
    page.get_by_role("button", name="Rechercher").click()
    assert "q=thies" in page.url
    assert page.get_by_role("link", name=re.compile("Enda Graf Sahel")).count() >= 1


def test_follow_a_role_link_from_a_programme(page, site):
    page.goto(site + "/en/programmes/ntf-v/")
    page.locator(".roles").get_by_role(
        "link", name=re.compile("International Trade Centre")
    ).first.click()
    assert page.url.endswith("/en/organizations/itc/")
    assert "International Trade Centre" in page.get_by_role("heading", level=1).inner_text()
    # And back: the organization's page lists the programme it implements.
    assert page.get_by_role("link", name=re.compile("Netherlands Trust Fund V")).count() >= 1


def test_staff_log_in_and_edit_a_record(page, site):
    page.goto(site + "/admin/")
    page.get_by_label("Username").fill("staff")
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(site + "/admin/members/organization/?q=optic")
    page.get_by_role("link", name=re.compile("OPTIC")).first.click()
    page.get_by_label("City", exact=False).first.fill("Dakar")
    page.get_by_role("button", name="Save", exact=True).click()
    assert "was changed successfully" in page.locator(".messagelist").inner_text()
    page.goto(site + "/en/organizations/optic/")
    assert "Dakar" in page.locator(".kind").inner_text()
