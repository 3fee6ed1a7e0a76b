"""Organizations' logos: staff upload them in the admin (PNG, JPEG or WebP; SVG and what
Pillow cannot read are refused, so is a file too large); pages show square WebP
renditions under names made of their content's hash, lazy-loaded in lists, and initials
on a coloured tile when there is none; the history keeps every logo."""

import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from tinycss2.color3 import parse_color

from members import logos
from members.models import Organization
from tests import factories
from tests.helpers import admin_url, count_queries, form_data, html, stylesheet, url

pytestmark = pytest.mark.django_db

HASHED = r"/media/logos/([0-9a-f]{16})-%d\.webp"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def picture(kind="PNG", size=(300, 120), colour=(11, 110, 79, 255)):
    """An image file's bytes: a wide logo, transparent around a coloured band."""
    mode = "RGBA" if kind in ("PNG", "WEBP") else "RGB"
    image = Image.new(mode, size, (0, 0, 0, 0) if mode == "RGBA" else (255, 255, 255))
    band = Image.new(mode, (size[0], size[1] // 2), colour[: len(mode)])
    image.paste(band, (0, size[1] // 4))
    buffer = io.BytesIO()
    image.save(buffer, kind)
    return buffer.getvalue()


def upload(name, content, content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def post_logo(client, organization, file, language="en"):
    """The organization's admin page, submitted with this logo."""
    change = admin_url(Organization, "change", organization.pk)
    data = {**form_data(client.get(change)), "logo": file}
    return client.post(change, data, HTTP_ACCEPT_LANGUAGE=language)


@pytest.fixture
def optic(db):
    return factories.OrganizationFactory(
        slug="optic",
        name_en="Organization of ICT professionals",
        acronym="OPTIC",
        publication_status="draft",
    )


def test_staff_upload_a_png_and_the_site_stores_square_webp_versions(staff_client, optic, media):
    response = post_logo(staff_client, optic, upload("Logo OPTIC.png", picture("PNG")))
    assert response.status_code == 302
    optic.refresh_from_db()
    digest = re.fullmatch(r"logos/([0-9a-f]{16})\.png", optic.logo.name)[1]
    for size in (64, 160):
        with Image.open(media / "logos" / f"{digest}-{size}.webp") as stored:
            assert (stored.format, stored.size, stored.mode) == ("WEBP", (size, size), "RGBA")
            assert stored.getpixel((0, 0))[3] == 0  # the margin stays transparent
    assert (media / optic.logo.name).read_bytes() == picture("PNG")  # the upload as sent
    # The same picture uploaded again is the same file, not a copy.
    post_logo(staff_client, optic, upload("again.png", picture("PNG")))
    assert len(list((media / "logos").iterdir())) == 3


def test_a_jpeg_is_accepted_and_a_webp_too(staff_client, optic):
    assert (
        post_logo(staff_client, optic, upload("a.jpg", picture("JPEG"), "image/jpeg")).status_code
        == 302
    )
    optic.refresh_from_db()
    assert re.fullmatch(r"logos/[0-9a-f]{16}\.jpg", optic.logo.name)
    assert (
        post_logo(staff_client, optic, upload("a.webp", picture("WEBP"), "image/webp")).status_code
        == 302
    )
    optic.refresh_from_db()
    assert optic.logo.name.endswith(".webp")


NO_SVG = (
    "The logo cannot be an SVG drawing, as SVG can carry scripts: export it as PNG and upload that."
)
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.svg", SVG, NO_SVG),
        ("logo.png", SVG, NO_SVG),  # an SVG by another name
        (
            "notes.png",
            b"Not a picture at all, only words.\n" * 20,
            "The logo must be a PNG, JPEG or WebP image; “notes.png” is not one.",
        ),
        (
            "cut.png",
            picture("PNG")[:200],
            "The logo must be a PNG, JPEG or WebP image; “cut.png” is not one.",
        ),
        (
            "animation.gif",
            picture("GIF"),
            "The logo must be a PNG, JPEG or WebP image; “animation.gif” is not one.",
        ),
        (
            "huge.png",
            picture("PNG")[:16] + b"\0" * logos.MAX_BYTES,
            "The logo file is 2.0\xa0MB; it can be at most 2.0\xa0MB.",
        ),
        (
            "tall.png",
            picture("PNG", size=(10, 4001)),
            "The logo is 10 × 4001 pixels; it can be at most 4000 pixels on each side.",
        ),
    ],
)
def test_what_is_not_a_logo_is_refused_with_a_message(staff_client, optic, name, content, message):
    response = post_logo(staff_client, optic, upload(name, content))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["logo"] == [message]
    assert message in html(response)
    optic.refresh_from_db()
    assert not optic.logo


def test_the_refusal_is_in_the_page_of_a_french_speaking_staff_member(staff_client, optic):
    response = post_logo(staff_client, optic, upload("logo.svg", SVG), language="fr")
    page = html(response)
    assert "<title>Erreur" in page
    assert response.context["adminform"].form.errors["logo"]


@pytest.fixture
def with_logo(staff_client, optic):
    post_logo(staff_client, optic, upload("optic.png", picture("PNG")))
    optic.refresh_from_db()
    return optic


@pytest.mark.parametrize("language", ["en", "fr"])
def test_lists_show_the_small_logo_lazily_and_pages_the_large_one(client, with_logo, language):
    with_logo.publication_status = "published"
    with_logo.save()
    digest = with_logo.logo.name[6:22]
    small = f'src="/media/logos/{digest}-64.webp" width="64" height="64" alt="" loading="lazy"'
    assert small in html(client.get(url("members:organization-list", language)))
    assert small in html(client.get(url("search", language), {"q": "optic"}))
    page = html(client.get(url("members:organization-detail", language, slug="optic")))
    large = (
        f'<img class="logo logo-160" src="/media/logos/{digest}-160.webp" width="160" '
        'height="160" alt=""'
    )
    assert large in page
    assert 'loading="lazy"' not in page  # at the top of its page: wanted at once
    assert "logo-tile" not in page


@pytest.mark.parametrize("language", ["en", "fr"])
def test_without_a_logo_initials_on_a_tile_coloured_by_the_name(client, db, language):
    factories.OrganizationFactory(slug="itc", name_en="International Trade Centre", acronym="ITC")
    factories.OrganizationFactory(
        slug="asepex",
        name_en="Senegalese Export Promotion Agency",
        name_fr="Agence sénégalaise de promotion des exportations",
        acronym="ASEPEX",
    )
    page = html(client.get(url("members:organization-list", language)))
    itc = logos.tile("International Trade Centre")
    assert f'<span class="logo logo-64 logo-tile tile-{itc}" aria-hidden="true">ITC</span>' in page
    # The acronym is too long for the tile: its first letters, the same in both languages.
    tile = logos.tile("Senegalese Export Promotion Agency")  # the same in both languages
    assert f'logo-tile tile-{tile}" aria-hidden="true">AS</span>' in page
    assert "<img" not in page


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_tile_reads_the_same_in_both_languages(client, db, language):
    """OPTIC's tile read "OI" in English and "OP" in French (issue 21)."""
    factories.OrganizationFactory(
        slug="optic",
        name_en="Organisation of Information and Communication Technology Professionals",
        name_fr="Organisation des Professionnels des Technologies de l’Information",
        acronym="OPTIC",
    )
    factories.OrganizationFactory(
        slug="mtn", name_en="Ministry of Trade", name_fr="Ministère du Commerce", acronym=""
    )
    page = html(client.get(url("members:organization-list", language)))
    assert 'aria-hidden="true">OP</span>' in page
    assert 'aria-hidden="true">MT</span>' in page  # the name the tile's colour comes from


def test_initials_and_tiles():
    assert logos.initials("Agence de Promotion des Exportations") == "AP"
    assert logos.initials("Centre du commerce international", "CCI") == "CCI"
    assert logos.initials("L’Office national", "") == "ON"
    assert logos.initials("Organisation des professionnels des TIC", "OPTIC") == "OP"
    assert logos.initials("") == "?"
    tiles = {logos.tile(f"Organization {n}") for n in range(200)}
    assert tiles == set(range(logos.TILE_COLOURS))


def luminance(colour):
    """WCAG's relative luminance of a CSS colour; an opaque one, as tiles are."""
    rgba = parse_color(colour)
    assert isinstance(rgba, tuple) and rgba.alpha == 1, colour
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgba[:3]]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one, other):
    darker, lighter = sorted([luminance(one), luminance(other)])
    return (lighter + 0.05) / (darker + 0.05)


def test_every_tile_colour_keeps_its_text_readable():
    rules = stylesheet("site.css")
    texts = [
        value for _, selector, name, value in rules if (selector, name) == (".logo-tile", "color")
    ]
    tiles = [
        (selector, value)
        for _, selector, name, value in rules
        if selector.startswith(".tile-") and name in ("background", "background-color")
    ]
    assert texts
    assert {selector for selector, _ in tiles} == {f".tile-{n}" for n in range(logos.TILE_COLOURS)}
    for text in texts:
        for selector, background in tiles:
            assert contrast(text, background) >= 4.5, (selector, background, text)  # WCAG AA


def test_the_api_the_json_ld_and_the_csv_give_the_logo(client, with_logo):
    with_logo.publication_status = "published"
    with_logo.save()
    digest = with_logo.logo.name[6:22]
    record = client.get("/api/v1/organizations/optic/").json()
    assert record["logo"] == f"http://testserver/media/logos/{digest}-160.webp"
    assert record["logo_small"] == f"http://testserver/media/logos/{digest}-64.webp"
    page = html(client.get(url("members:organization-detail", "en", slug="optic")))
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1]
    )
    assert data["logo"] == record["logo"]
    export = b"".join(client.get("/en/organizations/export.csv").streaming_content).decode()
    header, row = export.lstrip("\ufeff").splitlines()[:2]
    assert "Logo" in header.split(",")
    assert record["logo"] in row
    factories.OrganizationFactory(slug="no-logo")
    assert client.get("/api/v1/organizations/no-logo/").json()["logo"] is None


def test_the_site_serves_hashed_logos_for_ever_and_nothing_else(client, with_logo, media):
    digest = with_logo.logo.name[6:22]
    response = client.get(f"/media/logos/{digest}-64.webp")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert b"".join(response.streaming_content)[:4] == b"RIFF"
    again = client.get(
        f"/media/logos/{digest}-64.webp", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]
    )
    assert again.status_code == 304
    (media / "logos" / "secret.txt").write_text("not for the public")
    (media / "notes.png").write_bytes(picture("PNG"))
    for path in ("logos/secret.txt", "notes.png", f"logos/{digest}-64.webp/../secret.txt"):
        assert client.get(f"/media/{path}").status_code == 404
    assert client.get(f"/media/logos/{'0' * 16}-64.webp").status_code == 404


def test_the_history_keeps_every_logo(staff_client, with_logo, media):
    first = with_logo.logo.name
    post_logo(staff_client, with_logo, upload("new.png", picture("PNG", colour=(185, 28, 28, 255))))
    with_logo.refresh_from_db()
    assert with_logo.logo.name != first
    # Cleared: the files stay, the history has the name.
    change = admin_url(Organization, "change", with_logo.pk)
    data = {**form_data(staff_client.get(change)), "logo-clear": "on"}
    assert staff_client.post(change, data).status_code == 302
    with_logo.refresh_from_db()
    assert not with_logo.logo
    history = html(staff_client.get(admin_url(Organization, "history", with_logo.pk)))
    assert first in history
    version = with_logo.history.filter(logo=first).latest("history_date")
    revert = admin_url(Organization, "revert", with_logo.pk, version.history_id)
    assert first in html(staff_client.get(revert))  # what will change
    assert staff_client.post(revert).status_code == 302
    with_logo.refresh_from_db()
    assert with_logo.logo.name == first
    assert (media / logos.rendition_name(first, 64)).exists()


def test_list_queries_do_not_grow_with_logos(client, with_logo, senegal):
    with_logo.publication_status = "published"
    with_logo.save()
    with_logo.countries.set([senegal])

    def organizations():
        return client.get(url("members:organization-list", "fr") + "?country=SN")

    before = count_queries(organizations)
    for number in range(8):
        more = factories.OrganizationFactory(slug=f"more-{number}", countries=[senegal])
        more.logo = upload(f"{number}.png", picture("PNG", colour=(number * 30, 0, 0, 255)))
        more.save()
    assert html(organizations()).count('loading="lazy"') == 9
    assert count_queries(organizations) == before
