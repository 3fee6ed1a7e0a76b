"""The shared admin: what every model's admin does (history with reasons, revert with
relations, deleted records, bulk publication), by job:

- base.py: the bases each app's admins are built on (DirectoryAdmin, PublishableAdmin,
  their forms and list filter);
- actions.py: the bulk actions on selected records (publish, unpublish, archive, verify);
- dashboard.py: the staff's work lists (drafts, review queue, records to check) and the
  admin index's summary of what waits.

Each app registers its models' admins on these bases; ecosystem/admin.py registers the
core's. Importing any of them names the admin site, here."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

# The admin under the directory's name, in the staff's language (its colours and the links
# to the public site: templates/admin/base_site.html).
admin.site.site_header = admin.site.site_title = _("Tech-support directory")
admin.site.index_title = _("Staff dashboard")
admin.site.site_url = None
