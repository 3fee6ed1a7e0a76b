"""Organizations' logos: what staff may upload, the sizes the site shows, and the tile
of initials shown when there is none.

An upload is checked by Pillow (PNG, JPEG or WebP only: an SVG can carry scripts) and
kept as sent, beside two square WebP renditions (64 and 160 pixels). Every file is
named by the hash of the upload's content (`logos/<hash>.png`, `logos/<hash>-64.webp`),
so a name never changes meaning: browsers and proxies may cache it for ever, and no
file is ever overwritten or deleted. A record's history keeps the name, so reverting to
an older version brings its logo back.
"""

import hashlib
import io
import zlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

SIZES = (64, 160)
MAX_BYTES = 2 * 1024 * 1024
# Read from the file's header before decoding: a small file can hold a huge picture.
MAX_SIDE = 4000
# Pillow's names of the formats accepted, and the extension each original keeps.
FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
FOLDER = "logos"
# The few colours of the initials' tiles (static/css/site.css, .tile-0 to .tile-7),
# each with white text at a contrast of at least 4.5:1 (tests/test_logos.py checks).
TILE_COLOURS = 8


@dataclass
class Prepared:
    """An upload once checked: its name, its bytes, and its renditions' bytes by size."""

    name: str
    original: bytes
    renditions: dict


def refuse(message, code, **params):
    raise ValidationError(message, code=code, params=params)


def looks_like_svg(upload, head):
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return (upload.name or "").lower().endswith((".svg", ".svgz")) or text.startswith(
        (b"<?xml", b"<svg", b"<!doctype svg")
    )


def prepare(upload):
    """The checked upload and its renditions; ValidationError naming what is wrong.
    Remembered on the upload, as the form checks it and the save stores it."""
    prepared = getattr(upload, "_prepared_logo", None)
    if prepared is not None:
        return prepared
    if upload.size > MAX_BYTES:
        refuse(
            _("The logo file is %(size)s; it can be at most %(limit)s."),
            "too_large",
            size=filesizeformat(upload.size),
            limit=filesizeformat(MAX_BYTES),
        )
    upload.seek(0)
    data = upload.read()
    if looks_like_svg(upload, data[:256]):
        refuse(
            _(
                "The logo cannot be an SVG drawing, as SVG can carry scripts: export it as "
                "PNG and upload that."
            ),
            "svg",
        )
    not_an_image = _("The logo must be a PNG, JPEG or WebP image; “%(name)s” is not one.")
    try:
        # Only these decoders are tried, whatever the file claims to be.
        image = Image.open(io.BytesIO(data), formats=list(FORMATS))
        if max(image.size) > MAX_SIDE:
            refuse(
                _(
                    "The logo is %(width)s × %(height)s pixels; it can be at most %(limit)s "
                    "pixels on each side."
                ),
                "too_many_pixels",
                width=image.width,
                height=image.height,
                limit=MAX_SIDE,
            )
        image.load()
        renditions = {size: rendition(image, size) for size in SIZES}
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        refuse(not_an_image, "not_an_image", name=upload.name)
    digest = hashlib.sha256(data).hexdigest()[:16]
    prepared = Prepared(f"{FOLDER}/{digest}.{FORMATS[image.format]}", data, renditions)
    upload._prepared_logo = prepared
    return prepared


def rendition(image, size):
    """The image centred on a transparent square of `size` pixels, as WebP: lossless or
    lossy, whichever is smaller (flat-coloured logos compress best losslessly)."""
    image = ImageOps.exif_transpose(image)
    image = image.convert("RGBA")
    fitted = ImageOps.contain(image, (size, size), Image.Resampling.LANCZOS)
    square = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    square.paste(fitted, ((size - fitted.width) // 2, (size - fitted.height) // 2))
    encoded = []
    # Effort 6 is cheap losslessly at these sizes, but costs 15 times effort 4 lossily.
    for options in ({"lossless": True, "method": 6}, {"quality": 88, "method": 4}):
        buffer = io.BytesIO()
        square.save(buffer, "WEBP", **options)
        encoded.append(buffer.getvalue())
    return min(encoded, key=len)


def validate_logo(value):
    """The model field's validator: a new upload is checked; a logo already stored (a
    record saved again, or reverted to an older logo) is not read again."""
    if value and not getattr(value, "_committed", True):
        prepare(value.file)


def store(upload, storage=default_storage):
    """Writes the upload and its renditions, unless files of that content are already
    there; returns the name to keep on the record."""
    prepared = prepare(upload)
    files = {prepared.name: prepared.original}
    files.update({rendition_name(prepared.name, s): b for s, b in prepared.renditions.items()})
    for name, content in files.items():
        if not storage.exists(name):
            storage.save(name, ContentFile(content))
    return prepared.name


def rendition_name(name, size):
    """`logos/<hash>.png` → `logos/<hash>-64.webp`."""
    return f"{name.rsplit('.', 1)[0]}-{size}.webp"


def absolute(url, base_url):
    """A rendition's address as a link from elsewhere: MEDIA_URL may be a path on this
    site ("/media/") or an address of its own (a bucket)."""
    return base_url.rstrip("/") + url if url.startswith("/") else url


def rendition_url(name, size, storage=default_storage):
    """The address of a stored logo's rendition; "" when there is no logo. Computed
    from the name, no storage is asked."""
    return storage.url(rendition_name(name, size)) if name else ""


# Initials on a coloured tile, when there is no logo ----------------------------------

# Words that do not make an initial: "Agence de Promotion des Exportations" is "AP".
SMALL_WORDS = {
    *("a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "pour"),
    *("and", "for", "in", "of", "the", "to"),
}


def initials(name, acronym=""):
    """What the tile shows: a short acronym ("ITC"), the first two letters of a long one
    ("OPTIC" → "OP": an acronym reads the same in both languages, where initials of the
    name would not), else the first letters of the first two words that count ("Agence
    de Promotion…" → "AP")."""
    if acronym:
        return (acronym if len(acronym) <= 4 else acronym[:2]).upper()
    words = [
        word
        for word in "".join(c if c.isalnum() else " " for c in name.replace("’", " ")).split()
        if word.lower() not in SMALL_WORDS
    ]
    return "".join(word[0] for word in words[:2]).upper() or "?"


def tile(name):
    """The tile's colour, 0 to TILE_COLOURS - 1: the same for a name everywhere, on
    every server (a checksum, not Python's salted hash())."""
    return zlib.crc32(name.encode()) % TILE_COLOURS
