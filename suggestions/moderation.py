"""Accepting a suggestion: a new record arrives as a draft, a correction updates its
record; either cites the suggestion as its source, in one version of its history."""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from ecosystem.core import counts, history
from ecosystem.core.dates import parse_partial
from ecosystem.core.lookups import Lookups
from ecosystem.core.models import PublicationStatus, Source
from ecosystem.core.registry import registry
from ecosystem.core.text import parts
from suggestions.models import Suggestion, SuggestionKind, SuggestionStatus


def source_for(suggestion):
    """The suggestion as a source, in the submitter's words (no language of ours):
    what they cited, by them, on the day they sent it."""
    link = suggestion.source if suggestion.source.startswith(("http://", "https://")) else ""
    return Source.objects.create(
        slug=f"suggestion-{suggestion.pk}",
        title=suggestion.source[:300],
        author=suggestion.submitter_name[:200],
        language=suggestion.language,
        published=timezone.localtime(suggestion.created).date(),
        published_precision="day",
        url=link[:500],
        document="" if link else f"suggestion {suggestion.pk}",
    )


def unique_slug(model, name):
    base = slugify(name)[:100] or "record"
    slug, number = base, 1
    while model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def apply_fields(record, suggestion, new):
    language = suggestion.language
    other = "en" if language == "fr" else "fr"
    for name in ("name", "summary"):
        value = getattr(suggestion, name)
        if value:
            setattr(record, f"{name}_{language}", value)
            if new or not getattr(record, f"{name}_{other}"):
                setattr(record, f"{name}_{other}", value)
    for name in ("website", "email", "phone", "address", "linkedin", "x", "facebook"):
        value = getattr(suggestion, name)
        if value and hasattr(record, name):
            setattr(record, name, value)
    if suggestion.start and hasattr(record, "start"):
        record.start, record.start_precision = parse_partial(suggestion.start)
    if suggestion.event_kind and hasattr(record, "kind") and suggestion.record_type == "events":
        record.kind = suggestion.event_kind


def accept(suggestion: Suggestion, user):
    """Create or update the record; returns it."""
    record_type = registry[suggestion.record_type]
    model = record_type.model
    new = suggestion.kind == SuggestionKind.NEW
    lookups = Lookups()
    with transaction.atomic(), counts.deferred(), history.reason("suggestion", str(suggestion.pk)):
        if new:
            record = model(publication_status=PublicationStatus.DRAFT)
            for name, value in (record_type.import_defaults or {}).items():
                setattr(record, name, value)
            if suggestion.record_type == "organizations":
                record.kind = "other"  # staff say which
        else:
            record = model.objects.get(slug=suggestion.record_slug)
        apply_fields(record, suggestion, new)
        if new:
            record.slug = unique_slug(model, record.name_en or record.name_fr)
        record.full_clean(exclude=["slug"], validate_unique=False)
        record._history_user = user
        # One version of the record's history: its old values kept, its links included.
        with history.one_version(record, "+" if new else "~"):
            record.save()
            if suggestion.countries:
                record.countries.set([lookups.country(p) for p in parts(suggestion.countries)])
            if suggestion.sectors:
                record.sectors.set([lookups.sector(p) for p in parts(suggestion.sectors)])
            record.sources.add(source_for(suggestion))
        suggestion.status = SuggestionStatus.ACCEPTED
        suggestion.reviewed_by = user
        suggestion.result_slug = record.slug
        suggestion.save()
    return record
