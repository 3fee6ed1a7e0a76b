"""The site's URLs plus /floor/: Django's own floor, the least a page of this stack can
cost (one query, 20 rows, a template), to which every page is compared."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from ecosystem.core.registry import registry
from ecosystem.project.urls import urlpatterns as site_urlpatterns

FLOOR = engines["django"].from_string(
    "<!doctype html><title>floor</title><ul>{% for row in rows %}"
    '<li><a href="/{{ row.slug }}/">{{ row.name_en }}</a></li>{% endfor %}</ul>'
)


def floor(request):
    rows = registry["smes"].model.objects.order_by("pk").values("slug", "name_en")[:20]
    return HttpResponse(FLOOR.render({"rows": rows}))


urlpatterns = [path("floor/", floor), *site_urlpatterns]
