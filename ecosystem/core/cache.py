"""A cache for what is costly and shared (counts per country and sector, per record
type), correct across processes: each result is kept under the data's version, a number
in the database that every save, delete or change of links bumps (ecosystem.core.signals).
A new version makes the old results unused; they expire on their own."""

from django.core.cache import cache
from django.db import models
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext_lazy as _

TIMEOUT = 24 * 3600


class DataVersion(models.Model):
    """One number, bumped by every change to the directory's data: cached results carry
    it in their keys, so an edit in any process makes every process's results old."""

    number = models.PositiveBigIntegerField(default=1)

    class Meta:
        app_label = "ecosystem"
        verbose_name = _("data version")

    def __str__(self):
        return str(self.number)


def data_version():
    version = DataVersion.objects.filter(pk=1).values_list("number", flat=True).first()
    return version or 0


def bump():
    """The data changed: every cached result is to be computed again."""
    if not DataVersion.objects.filter(pk=1).update(number=F("number") + 1):
        DataVersion.objects.get_or_create(pk=1)


def cached(key, compute, *, per_language=False):
    """`compute()`'s result, from the cache while the data has not changed."""
    language = translation.get_language() if per_language else ""
    full_key = f"directory:{data_version()}:{language}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, TIMEOUT)
    return value
