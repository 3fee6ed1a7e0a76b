from ecosystem.core.views import record_paths

app_name = "programmes"
urlpatterns = record_paths("programmes", "programmes", "programme")
