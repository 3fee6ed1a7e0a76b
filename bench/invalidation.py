"""What a staff edit costs and which kept pages it leaves warm, on a database of demo data:

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/cache_bench \\
        .venv/bin/python bench/invalidation.py [--saves 7]

It saves SMEs through the admin's change form, as staff do, and times each save; then it
asks for a sample of public pages as a visitor, edits one SME and asks again: a page
answered in one query (the versions) came from the page cache, still warm. Run from
another checkout (the same script), it measures that code on the same database.
"""

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path.cwd()
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=7, help="How many SMEs to save.")
    parser.add_argument("--sample", type=int, default=10, help="Record pages per type.")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecosystem.project.settings")
    os.environ.update(ALLOWED_HOSTS="testserver")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the admin form's context, for its fields

    from members.models import Organization

    cache.clear()
    staff = django_client()
    user, _ = get_user_model().objects.get_or_create(
        username="bench-invalidation", defaults={"is_staff": True, "is_superuser": True}
    )
    staff.force_login(user)
    smes = Organization.objects.filter(kind="sme", publication_status="published")
    smes = list(smes.exclude(sources=None).order_by("pk")[: options.saves + 1])
    times, queries = [], []
    for number, sme in enumerate(smes[:-1]):
        seconds, count = timed_edit(staff, sme, f"Benchmark edit {time.time()} {number}.")
        times.append(seconds * 1000)
        queries.append(count)
    total = Organization.objects.count()
    print(f"\nAdmin save of an SME ({len(times)} saves, {total:,} organizations)\n")
    print("| median ms | max ms | queries |")
    print("| ---: | ---: | ---: |")
    median, most = statistics.median(times), max(times)
    print(f"| {median:.0f} | {most:.0f} | {statistics.median(queries):.0f} |")
    warm_share(staff, smes[-1], options.sample)


def django_client():
    from django.test import Client

    return Client(raise_request_exception=True)


def timed_edit(staff, record, summary):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.helpers import admin_url, form_data

    url = admin_url(type(record), "change", record.pk)
    data = {**form_data(staff.get(url)), "summary_en": summary}
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = staff.post(url, data)
        seconds = time.perf_counter() - started
    assert response.status_code == 302, response.status_code
    return seconds, len(captured)


def sample_pages(size):
    """(kind of page, path): shared pages, lists and record pages of each type."""
    from django.urls import reverse
    from django.utils import translation

    from ecosystem.core.models import Country, Sector
    from ecosystem.core.registry import registry

    pages = []
    for language in ("en", "fr"):
        with translation.override(language):
            pages += [("shared", reverse("home")), ("shared", reverse("country-list"))]
            pages += [("shared", reverse("sector-list"))]
            for code in Country.objects.order_by("code").values_list("code", flat=True)[:3]:
                pages.append(("shared", reverse("country-detail", kwargs={"code": code})))
            for slug in Sector.objects.order_by("slug").values_list("slug", flat=True)[:3]:
                pages.append(("shared", reverse("sector-detail", kwargs={"slug": slug})))
            for record_type in registry:
                pages.append((f"{record_type.key} list", reverse(record_type.list_url)))
                records = record_type.published().order_by("-pk")[:size]
                pages += [(f"{record_type.key} page", r.get_absolute_url()) for r in records]
    for record_type in registry:
        pages.append((f"{record_type.key} API", f"/api/v1/{record_type.key}/"))
    pages += [("shared", "/sitemap.xml"), ("shared", "/en/feed.atom"), ("shared", "/events.ics")]
    return pages


def warm_share(staff, sme, size):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    visitor = django_client()
    pages = sample_pages(size)
    for _kind, path in pages:
        visitor.get(path)
    timed_edit(staff, sme, f"Benchmark edit {time.time()}.")
    warm = defaultdict(lambda: [0, 0])
    for kind, path in pages:
        with CaptureQueriesContext(connection) as captured:
            visitor.get(path)
        warm[kind][0] += len(captured) == 1
        warm[kind][1] += 1
    print(f"\nPages still warm after an SME's edit ({len(pages)} pages, en and fr)\n")
    print("| pages | warm | of |")
    print("| --- | ---: | ---: |")
    for kind, (kept, total) in sorted(warm.items()):
        print(f"| {kind} | {kept} | {total} |")
    kept = sum(k for k, _t in warm.values())
    print(f"| **all** | **{kept}** ({100 * kept / len(pages):.0f} %) | **{len(pages)}** |")


if __name__ == "__main__":
    main()
