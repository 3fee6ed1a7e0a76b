from django.utils.translation import gettext_lazy as _

from ecosystem.core.views import record_paths

app_name = "members"
urlpatterns = [
    *record_paths("organizations", _("organizations/"), "organization"),
    *record_paths("smes", _("smes/"), "sme", detail=False),
]
