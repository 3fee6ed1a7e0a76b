from django.utils.translation import gettext_lazy as _

from ecosystem.core.views import record_paths

app_name = "programmes"
urlpatterns = record_paths("programmes", _("programmes/"), "programme")
