from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    name = "suggestions"
    verbose_name = _("Suggestions")

    def ready(self):
        from ecosystem.core import database

        # Visitors make suggestions, staff triage them: no "add"; only Publishers delete.
        triage = ["suggestions.view_suggestion", "suggestions.change_suggestion"]
        database.grant("Editor", *triage)
        database.grant("Publisher", *triage, "suggestions.delete_suggestion")
