from django.urls import path
from django.utils.translation import gettext_lazy as _

from suggestions import views

app_name = "suggestions"
urlpatterns = [path(_("suggest/"), views.suggest, name="suggest")]
