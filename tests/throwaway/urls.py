from django.utils.translation import gettext_lazy as _

from ecosystem.core.views import record_paths

app_name = "throwaway"
urlpatterns = record_paths("calls", _("calls/"), "call")
