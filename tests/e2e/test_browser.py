"""A person's paths through the site, in a real browser. Assertions use Playwright's
expect(), which waits for the page to settle instead of reading it half-loaded."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.server import ADMIN_PASSWORD

pytestmark = pytest.mark.e2e


def test_filter_programmes_by_country_and_sector(page, site):
    page.goto(site + "/en/programmes/")
    page.get_by_role("group", name="Country").get_by_label("Mali").check()
    page.get_by_role("group", name="Sector").get_by_label("Digital technology").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"country=ML.*sector=digital-technology"))
    results = page.locator(".records h3")
    expect(results).to_have_count(2)
    expect(results.filter(has_text="Netherlands Trust Fund V")).to_have_count(1)
    expect(results.filter(has_text="HUB-IIT")).to_have_count(0)
    # The chips remove one filter at a time.
    page.get_by_role("link", name=re.compile("Remove the filter Country: Mali")).click()
    expect(page).to_have_url(re.compile(r"\?sector=digital-technology$"))
    expect(page.get_by_role("heading", name=re.compile(r"^\d+ results$"))).to_be_visible()


def test_switching_language_keeps_the_filters(page, site):
    page.goto(site + "/en/programmes/?country=ML&status=closed")
    page.get_by_role("link", name="Français").click()
    expect(page).to_have_url(site + "/fr/programmes/?country=ML&status=closed")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Programmes")
    expect(page.get_by_role("group", name="Pays").get_by_label("Mali")).to_be_checked()


def test_search_without_accents(page, site):
    page.goto(site + "/fr/")
    page.get_by_label("Rechercher dans l’annuaire").fill("thies")
    page.get_by_role("button", name="Rechercher").click()
    expect(page).to_have_url(re.compile(r"/fr/recherche/\?q=thies$"))
    # Found through "Dakar/Thiès", written with an accent.
    expect(page.locator(".records h3 a", has_text="Enda Graf Sahel")).to_have_count(1)


def test_follow_a_role_link_from_a_programme(page, site):
    page.goto(site + "/en/programmes/ntf-v/")
    page.locator(".involved").get_by_role(
        "link", name=re.compile("International Trade Centre")
    ).first.click()
    expect(page).to_have_url(site + "/en/organizations/itc/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("International Trade Centre")
    # And back: the organization's page lists the programme it implements.
    expect(
        page.locator(".roles").get_by_role("link", name=re.compile("Netherlands Trust Fund V"))
    ).to_have_count(1)


def test_staff_log_in_and_edit_a_record(page, site):
    page.goto(site + "/admin/")
    page.get_by_label("Username").fill("staff")
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Staff dashboard")).to_be_visible()
    page.goto(site + "/admin/members/organization/?q=optic")
    page.get_by_role("link", name=re.compile("OPTIC")).first.click()
    page.get_by_label("Headquarters city").fill("Dakar")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.goto(site + "/en/organizations/optic/")
    expect(page.locator(".kind")).to_contain_text("Dakar")


def test_the_pictures_are_there_and_lead_somewhere(page, site):
    page.goto(site + "/en/")
    expect(page.locator(".africa-map path.country.shade-4")).to_have_count(1)
    # Sites with coordinates: Bamako (pilot and deployment: one dot), Sikasso, Ziguinchor,
    # Dakar/Thiès (at Thiès, cited to GeoNames), Ouagadougou, Bobo-Dioulasso, N’Djamena,
    # and the Diamniadio park: each a numbered marker.
    expect(page.locator(".africa-map .site-marker")).to_have_count(8)
    expect(page.locator(".timeline-svg rect.bar")).not_to_have_count(0)
    page.locator(".africa-map a[href='/en/countries/sn/']").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Senegal")
    expect(page.locator(".timeline-svg.wide")).to_be_visible()
    page.goto(site + "/en/programmes/hub-iit-deployment/")
    page.locator(".graph-svg a[href='/en/organizations/tech-dev/']").click()
    expect(page).to_have_url(site + "/en/organizations/tech-dev/")


def test_staff_upload_a_logo_and_visitors_see_it(page, site, tmp_path):
    """Under gunicorn with DEBUG off and no proxy, as the site runs in production."""
    from PIL import Image

    logo = tmp_path / "asepex.png"
    Image.new("RGB", (240, 120), (11, 110, 79)).save(logo)
    page.goto(site + "/admin/members/organization/?q=asepex")
    page.get_by_label("Username").fill("staff")
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name=re.compile("ASEPEX")).first.click()
    page.locator("input[type=file][name=logo]").set_input_files(logo)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.goto(site + "/en/organizations/?q=asepex")
    image = page.locator(".record img.logo")
    expect(image).to_have_attribute("loading", "lazy")
    expect(image).to_have_attribute("src", re.compile(r"^/media/logos/[0-9a-f]{16}-64\.webp$"))
    image.scroll_into_view_if_needed()
    page.wait_for_function("document.querySelector('.record img.logo').naturalWidth === 64")
    response = page.request.get(site + image.get_attribute("src"))
    assert response.status == 200
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    page.goto(site + "/fr/organisations/asepex/")
    page.wait_for_function("document.querySelector('img.logo-160').naturalWidth === 160")
