from ecosystem.core.views import record_paths

app_name = "members"
urlpatterns = [
    *record_paths("organizations", "organizations", "organization"),
    *record_paths("smes", "smes", "sme", detail=False),
]
