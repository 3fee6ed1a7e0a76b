"""The staff digest ("Freshness"): once a week each staff member gets by mail what waits
for them, the admin index's summary of work (ecosystem.core.admin.dashboard): records to
check, drafts, the review queue, and every list an app registers with `register_work()`
(suggestions to moderate), and the addresses the last link check found broken. Each
section has its count and links to its admin lists. Nothing waits: no mail.

The job engine sends it weekly (`staff_digest`, scheduled below); `manage.py
send_staff_digest` sends it now, or shows what it would send (`--dry-run`)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ecosystem.core import mail
from ecosystem.core.admin.dashboard import broken_links, dashboard
from ecosystem.core.database import GROUPS
from ecosystem.jobs.engine import job
from ecosystem.jobs.schedule import scheduled

logger = logging.getLogger("ecosystem.mail")


def recipients():
    """Active staff with an address: superusers and the Editor and Publisher groups. Staff
    status is asked for too: without it nobody can open the admin the digest links to."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(Q(is_superuser=True) | Q(groups__name__in=GROUPS))
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def language_of(user):
    """The user model keeps no language: staff read the site's own (LANGUAGE_CODE)."""
    return settings.LANGUAGE_CODE


def absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def digest(user):
    """The digest `user` would get, or None when nothing waits for them."""
    language = language_of(user)
    with translation.override(language):
        sections = dashboard(user)
        broken = broken_links(user)
        if broken:
            sections.append(
                {"title": _("Broken links"), "count": broken["count"], "url": broken["url"]}
            )
    if not sections:
        return None
    for section in sections:
        section["url"] = absolute(section["url"])
        for kind in section.get("kinds", []):
            kind["url"] = absolute(kind["url"])
    context = {
        "user": user,
        "sections": sections,
        "admin_url": absolute(reverse("admin:index")),
        "months": settings.VERIFIED_RECENTLY_MONTHS,
    }
    return mail.message(
        [user.email], _("What waits for staff this week"), "staff_digest", context, language
    )


def digests():
    """(user, message) for each staff member something waits for."""
    for user in recipients():
        message = digest(user)
        if message is not None:
            yield user, message


def send_staff_digest():
    """Send each staff member their digest; returns (sent, failed). A failed send is
    logged (ecosystem.core.mail) and counted; the others still go."""
    sent = failed = 0
    for _user, message in digests():
        if mail.send(message):
            sent += 1
        else:
            failed += 1
    logger.info("staff digest: %d sent, %d not sent", sent, failed)
    return sent, failed


# It only reads the database and sends: no transaction held while the SMTP server answers.
# A message that fails is logged and counted, not tried again with the job: the others of
# the run were sent, and a second run would send them twice.
@job(title=_("Send the staff digest"), atomic=False)
def staff_digest():
    sent, failed = send_staff_digest()
    return {"sent": sent, "failed": failed}


# Weekly slots are counted from 1970-01-01, a Thursday: the digest goes on Thursdays at
# midnight UTC.
scheduled(staff_digest, every=timedelta(weeks=1))
