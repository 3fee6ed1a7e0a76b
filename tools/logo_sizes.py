"""What a logo upload costs: the renditions' bytes and the time to check and draw them,
for a flat logo (the usual case), a large one and a photograph.

    DEBUG=1 .venv/bin/python manage.py shell -c "exec(open('tools/logo_sizes.py').read())"
"""

import io
import time

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFilter

from members import logos


def flat(width, height):
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    box = (width // 20, height // 6, width - width // 20, height - height // 6)
    draw.rounded_rectangle(box, height // 5, fill=(11, 110, 79))
    draw.ellipse(
        (width // 10, height // 4, width // 10 + height // 2, height // 4 + height // 2),
        fill=(242, 169, 0),
    )
    return image


def photograph(side):
    noise = Image.effect_noise((side, side), 60).filter(ImageFilter.GaussianBlur(3))
    return Image.merge("RGB", [noise, noise.rotate(90), noise])


print("| upload | bytes | 64 px WebP | 160 px WebP | check and renditions |")
print("| --- | --- | --- | --- | --- |")
for name, image, kind in [
    ("flat PNG 800×400", flat(800, 400), "PNG"),
    ("flat PNG 3000×1500", flat(3000, 1500), "PNG"),
    ("photograph JPEG 1200×1200", photograph(1200), "JPEG"),
]:
    buffer = io.BytesIO()
    image.save(buffer, kind)
    data = buffer.getvalue()
    start = time.perf_counter()
    prepared = logos.prepare(SimpleUploadedFile("logo", data))
    spent = time.perf_counter() - start
    sizes = [f"{len(prepared.renditions[size]):,} B" for size in logos.SIZES]
    print(f"| {name} | {len(data):,} | {sizes[0]} | {sizes[1]} | {spent * 1000:.0f} ms |")
