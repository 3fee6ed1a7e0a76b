"""The uploaded files whose names are their content's hash (members.logos), served with
far-future caching when nothing in front of the site serves MEDIA_URL: in development,
in the browser tests (gunicorn, DEBUG off) and on a server without a proxy rule for it.

A middleware rather than a view: it answers before the page cache, the sessions, the
language and gzip (pictures are already compressed) have anything to do. Not whitenoise:
it indexes its files when the process starts (or, in its development mode, on every
request), and uploads arrive while the site runs. Only hashed names are served; any
other file under MEDIA_ROOT is never sent.
"""

import re
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, HttpResponseNotModified
from django.utils.http import http_date
from django.views.static import was_modified_since

HASHED = re.compile(r"[a-z]+/[0-9a-f]{16}(?:-[0-9]{2,4})?\.(png|jpg|webp)")
TYPES = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}
FOREVER = "public, max-age=31536000, immutable"


def hashed_media(get_response):
    prefix = settings.MEDIA_URL if settings.MEDIA_URL.startswith("/") else None
    if not settings.SERVE_MEDIA or not prefix:
        return get_response  # an S3 bucket or the proxy serves them

    def middleware(request):
        if not request.path.startswith(prefix) or request.method not in ("GET", "HEAD"):
            return get_response(request)
        name = request.path.removeprefix(prefix)
        path = Path(settings.MEDIA_ROOT) / name
        match = HASHED.fullmatch(name)
        if not match or not path.is_file():
            return get_response(request)  # the site's own 404
        modified = path.stat().st_mtime
        if not was_modified_since(request.META.get("HTTP_IF_MODIFIED_SINCE"), modified):
            response = HttpResponseNotModified()
        else:
            response = FileResponse(path.open("rb"), content_type=TYPES[match[1]])
            response["Last-Modified"] = http_date(modified)
        response["Cache-Control"] = FOREVER
        # Logos are open data: the API gives their addresses for other sites to show.
        response["Cross-Origin-Resource-Policy"] = "cross-origin"
        return response

    return middleware
