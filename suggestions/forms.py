from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ecosystem.core.dates import parse_partial
from ecosystem.core.lookups import Lookups
from ecosystem.core.registry import registry
from ecosystem.core.text import CleanTextMixin, parts
from suggestions.models import PROPOSED, SUBMITTER, Suggestion, SuggestionKind

# The kinds of record the public may propose (series come through events).
TYPES = ["organizations", "smes", "programmes", "events", "opportunities"]
# What a refused form shows again of a value that is not a choice (a kind of record).
SHOWN_OF_A_CHOICE = 20


class SuggestionForm(CleanTextMixin, forms.ModelForm):
    # A field people never see (CSS hides it, its label says to leave it): bots fill it.
    website_url = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = Suggestion
        fields = ["record_type", *PROPOSED, *SUBMITTER]
        widgets = {"details": forms.Textarea(attrs={"rows": 4})}
        # Visitors type "example.org": that means https, as Django 6 will assume.
        field_classes = {
            name: lambda **kwargs: forms.URLField(assume_scheme="https", **kwargs)
            for name in ("website", "linkedin", "x", "facebook")
        }

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.record = record
        self.fields["record_type"] = forms.ChoiceField(
            label=_("Kind of record"),
            choices=[(key, registry[key].title) for key in TYPES],
            # Django's message repeats the value sent, however long.
            error_messages={"invalid_choice": _("Choose a kind of record from the list.")},
        )
        if record is not None:
            self.fields["record_type"].widget = forms.HiddenInput()
            self.fields["name"].help_text = _("Only if the name is wrong.")

    def full_clean(self):
        super().full_clean()
        # A value longer than its field allows is refused with a message saying so
        # (Django's "at most 250 characters (it has 1000000)"); the form shows again
        # only what the field can hold, not all that was sent.
        if not self.is_bound:
            return
        data = self.data.copy()
        for name, field in self.fields.items():
            key = self.add_prefix(name)
            if key in data:
                limit = getattr(field, "max_length", None) or SHOWN_OF_A_CHOICE
                data.setlist(key, [value[:limit] for value in data.getlist(key)])
        self.data = data

    def clean_website_url(self):
        if self.cleaned_data["website_url"]:
            raise forms.ValidationError(_("This field must stay empty."))
        return ""

    def clean_countries(self):
        return self.check_names(self.cleaned_data["countries"], Lookups.country)

    def clean_sectors(self):
        return self.check_names(self.cleaned_data["sectors"], Lookups.sector)

    def check_names(self, text, find):
        lookups = getattr(self, "lookups", None) or Lookups()
        self.lookups = lookups
        for part in parts(text):
            try:
                find(lookups, part)
            except ValueError as error:
                raise forms.ValidationError(capfirst(str(error))) from error
        return text

    def clean_start(self):
        start = self.cleaned_data["start"].strip()
        if start:
            try:
                parse_partial(start)
            except ValueError as error:
                raise forms.ValidationError(
                    _("Write the date as 2026, 2026-06 or 2026-06-14.")
                ) from error
        return start

    def clean(self):
        data = super().clean()
        if self.record is None:
            if not data.get("name"):
                self.add_error("name", _("Give the name of the record you propose."))
            if data.get("record_type") == "events":
                if not data.get("start"):
                    self.add_error("start", _("An event needs its date, even just its year."))
                if not data.get("event_kind"):
                    self.add_error("event_kind", _("Say what kind of event it is."))
        else:
            # A correction proposes something (an event's kind and date only make one).
            if not any(data.get(name) for name in PROPOSED if name not in {"event_kind", "start"}):
                raise forms.ValidationError(_("Say what should be added or corrected."))
        return data

    def save(self, commit=True):
        suggestion = super().save(commit=False)
        suggestion.kind = SuggestionKind.CORRECTION if self.record else SuggestionKind.NEW
        if self.record is not None:
            suggestion.record_slug = self.record.slug
        if commit:
            suggestion.save()
        return suggestion
