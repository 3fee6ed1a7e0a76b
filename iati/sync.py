"""The weekly sync of the IATI sources staff saved (SyncSource): each enabled source's
file is fetched (only from settings.IATI_ALLOWED_HOSTS, within the import's limits),
planned and applied like an import in the admin, so a re-import changes only what the
publisher changed, keeps what staff changed as conflicts, and flags the activities gone
from the file. Each source is its own transaction: one that fails (a host down, a
malformed file) writes nothing and the others still sync. The result of each is kept on
the source, for the staff dashboard and the admin."""

import json
import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ecosystem.jobs.engine import job, progress
from ecosystem.jobs.schedule import scheduled
from iati import fetching, importing, reading
from iati.models import SyncSource

logger = logging.getLogger("ecosystem.iati")

# The most error messages a failed sync keeps (its count says how many there were).
ERRORS_KEPT = 5


def counts(plan, done):
    """What an import did, as JSON values: {action: count}, the conflicts with staff's
    changes, the activities gone from the file, the organizations made as drafts (a sync
    has nobody to ask: staff find them among the drafts)."""
    return {**done, "new_organizations": len(plan.to_choose)}


def sync(source):
    """Fetch, plan and apply one source; record what happened on it and return it. Nothing
    is written when the file is refused or has an error."""
    try:
        with fetching.fetch(source.url) as file:
            plan = importing.plan(file)
    except reading.IatiFileError as error:
        result = {"error": str(error)}
    else:
        if plan.errors:
            result = {"errors": plan.errors[:ERRORS_KEPT], "error_count": len(plan.errors)}
        else:
            result = counts(plan, importing.apply(plan, name=source.url, sync_source=source))
    source.last_run = timezone.now()
    source.last_ok = "create" in result
    source.last_result = json.dumps(result, ensure_ascii=False)
    source.save(update_fields=["last_run", "last_ok", "last_result"])
    logger.info("IATI sync of %s: %s", source.url, source.last_result)
    return result


def sync_sources(sources):
    """Sync each source in turn, reporting progress; returns {url: result}."""
    sources = list(sources)
    results = {}
    for done, source in enumerate(sources, start=1):
        results[source.url] = sync(source)
        progress(done, len(sources))
    return results


def described(source):
    """A source's last result in the reader's language: what the import did, or why
    nothing was written; "" before its first run."""
    if not source.last_result:
        return ""
    result = json.loads(source.last_result)
    if "error" in result:
        return gettext("Nothing imported: %(error)s") % {"error": result["error"]}
    if "errors" in result:
        first = result["errors"][0] if result["errors"] else ""
        return ngettext(
            "Nothing imported: %(count)s error in the file (%(first)s).",
            "Nothing imported: %(count)s errors in the file, the first: %(first)s",
            result["error_count"],
        ) % {"count": result["error_count"], "first": first}
    return (
        gettext(
            "%(create)s created, %(update)s updated, %(unchanged)s unchanged; %(conflicts)s "
            "conflicts with staff’s changes; %(gone)s gone from the file; %(new_organizations)s "
            "new draft organizations."
        )
        % result
    )


# Network work and one transaction per source (atomic=False): a source that fails keeps
# the others' work. Each fetch is bounded by IATI_FETCH_SECONDS, so the job's own limit
# leaves room for every enabled source of a directory's few publishers.
@job(
    title=_("Sync the IATI sources"),
    atomic=False,
    attempts=1,
    time_limit=3600,
)
def sync_iati(pks=None):
    """Every enabled source, or those of `pks` (the admin's "sync now")."""
    sources = SyncSource.objects.filter(enabled=True) if pks is None else SyncSource.objects
    if pks is not None:
        sources = sources.filter(pk__in=pks)
    with translation.override(settings.LANGUAGE_CODE):
        return sync_sources(sources.order_by("publisher", "url"))


# Weekly slots are counted from 1970-01-01, a Thursday: the sync runs on Thursdays at
# midnight UTC, with the staff digest.
scheduled(sync_iati, every=timedelta(weeks=1))
