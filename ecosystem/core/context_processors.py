from django.conf import settings

from ecosystem.core.registry import registry


def record_types(request):
    """The registry's types, for the navigation every page has, and how long a record
    stays fresh after a check, for the pages that say it may be out of date."""
    return {"record_types": list(registry), "months_fresh": settings.VERIFIED_RECENTLY_MONTHS}
