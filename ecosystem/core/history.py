"""The history of every record: who changed what, when, why, and the values before and
after, with revert and restore.

django-simple-history keeps a historical row per version of each model (see
docs/architecture.md for why this library). This module adds what the
directory needs on top of it:

- **Why**: every version carries a reason (admin form, inline, bulk action, seed,
  import, revert, restore, shell), set for a block of work with ``reason()``.
- **One version per change**: a record and its relations (countries, sectors, sources,
  and its inline rows such as roles) changed together make one version, written after
  them (``one_version()``). So "the record as of version N" is the record's row as of N
  together with its relations as of N's date.
- **Revert** a record to any version, relations included (``revert()``), and **restore**
  a deleted record with the relations deleted along with it (``restore()``).

It imports no feature app: relations are found from the models' own metadata.
"""

import datetime
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps as django_apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.utils import get_history_manager_for_model

from ecosystem.core.listing import labelled

# What a stored reason's first word means; the rest of the reason names the detail
# ("bulk-action publish", "seed ecosystem.yaml", "revert 12").
REASONS = {
    "admin-form": _("admin form"),
    "admin-inline": _("admin inline"),
    "admin-delete": _("deleted in the admin"),
    "bulk-action": _("bulk action"),
    "seed": _("seed"),
    "import": _("import"),
    "suggestion": _("accepted suggestion"),
    "revert": _("revert to version"),
    "restore": _("restore"),
    "shell": _("shell or script"),
    "baseline": _("as it was when the history began"),
    "clean-text": _("control or bidirectional characters removed"),
}
# Fields copied from others on every save: not part of what a version records.
DERIVED_FIELDS = ["search_names", "search_text", "sort_en", "sort_fr"]
# How far apart a record's deletion and the deletion of its relations can be and still
# be the same delete (Django deletes the relations first, in the same transaction).
CASCADE_WINDOW = datetime.timedelta(seconds=30)

_reason = ContextVar("history_reason", default="")


@contextmanager
def reason(code, detail=""):
    """Every version written inside the block gives this reason (an inner block wins)."""
    assert code in REASONS, code
    token = _reason.set(f"{code} {detail}".strip())
    try:
        yield
    finally:
        _reason.reset(token)


# Details a reason stores as a code (a bulk action's outcome), in the reader's language.
DETAILS = {
    "delete": _("deleted"),
    "published": _("published"),
    "draft": _("draft"),
    "archived": _("archived"),
    "verified": _("marked as verified"),
}


def reason_label(stored):
    """The stored reason in the reader's language: "bulk action: published"."""
    code, _space, detail = (stored or "").partition(" ")
    label = REASONS.get(code)
    if label is None:
        return stored or ""
    return labelled(label, str(DETAILS.get(detail, detail))) if detail else str(label)


class History(HistoricalRecords):
    """HistoricalRecords that fills the reason from ``reason()`` and keeps a handle on
    itself per model, so that ``one_version()`` can write a version on demand."""

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if getattr(sender._meta, "simple_history_manager_attribute", None) and not hasattr(
            sender, "_history_records"
        ):
            sender._history_records = self

    def pre_delete(self, instance, **kwargs):
        # Django removes many-to-many rows before the record itself: note them now, so
        # that the deletion's version holds them and a restore brings them back. Records
        # that link to it (a sector's organizations) lose that link: note them too.
        super().pre_delete(instance, **kwargs)
        instance._linked_before_delete = [
            record
            for model, field in linking_fields(type(instance))
            for record in model._default_manager.filter(**{field.name: instance})
        ]
        instance._many_before_delete = {
            field.name: list(
                getattr(instance, field.name).through.objects.filter(
                    **{field.m2m_field_name(): instance}
                )
            )
            for field in self.get_m2m_fields_from_model(type(instance))
        }

    def create_historical_record_m2ms(self, history_instance, instance):
        rows_before = getattr(instance, "_many_before_delete", None)
        if history_instance.history_type != "-" or rows_before is None:
            return super().create_historical_record_m2ms(history_instance, instance)
        for field in history_instance._history_m2m_fields:
            version_model = self.m2m_models[field]
            names = [f.attname for f in field.remote_field.through._meta.fields]
            version_model.objects.bulk_create(
                version_model(history=history_instance, **{n: getattr(row, n) for n in names})
                for row in rows_before[field.name]
            )

    def post_delete(self, instance, using=None, **kwargs):
        super().post_delete(instance, using=using, **kwargs)
        # Each record that lost its link gets a version without it, with the reason of
        # the delete: the change is in its history, and a restore can bring it back.
        for record in getattr(instance, "_linked_before_delete", []):
            write_version(record)

    def get_change_reason_for_object(self, instance, history_type, using):
        return super().get_change_reason_for_object(instance, history_type, using) or (
            _reason.get() or "shell"
        )


def has_history(model):
    return hasattr(model._meta, "simple_history_manager_attribute")


def bulk_first_versions(model, records, user=None):
    """The first version of each of `records` (just bulk-created, their many-to-many
    rows written): what a save and its links inside `one_version` would have written,
    in a few queries for them all. The reason is the current block's."""
    versions = model.history.bulk_history_create(
        records, default_user=user, default_change_reason=_reason.get() or "shell"
    )
    keeper = model._history_records
    pk_name = model._meta.pk.attname
    by_record = {getattr(version, pk_name): version for version in versions}
    for field in keeper.get_m2m_fields_from_model(model):
        through = field.remote_field.through
        names = [f.attname for f in through._meta.fields]
        rows = through.objects.filter(**{f"{field.m2m_field_name()}__in": list(by_record)})
        keeper.m2m_models[field].objects.bulk_create(
            keeper.m2m_models[field](
                history=by_record[getattr(row, f"{field.m2m_field_name()}_id")],
                **{name: getattr(row, name) for name in names},
            )
            for row in rows
        )


def write_version(instance, history_type="~"):
    type(instance)._history_records.create_historical_record(instance, history_type)


class _Block:
    changed = True


@contextmanager
def one_version(instance, history_type="~"):
    """Saves of ``instance`` and changes to its many-to-many relations inside the block
    write no version of their own; one version is written at the end, with them all
    (unless the block says ``block.changed = False``)."""
    block = _Block()
    instance.skip_history_when_saving = True
    try:
        yield block
    finally:
        del instance.skip_history_when_saving
    if block.changed:
        write_version(instance, history_type)


def former_record(model, **lookup):
    """The record that matched ``lookup`` once and has changed since (staff renamed its
    slug, changed a role): a seed or an import must find it, not make a second one."""
    history = get_history_manager_for_model(model)
    pk_name = model._meta.pk.attname
    pks = history.filter(**lookup).values_list(pk_name, flat=True)
    return model._default_manager.filter(pk__in=pks).first()


def deleted_before(model, **lookup):
    """Whether a ``model`` record matching ``lookup`` existed and was deleted (and not
    brought back): a seed or an import must not bring back what staff deleted."""
    history = get_history_manager_for_model(model)
    return (
        not model._default_manager.filter(**lookup).exists()
        and history.filter(**lookup).latest_of_each().filter(history_type="-").exists()
    )


def write_baselines(**kwargs):
    """When a model's history begins (its table of versions is empty), a first version
    for each of its records: records from before the history keep their values and
    relations, so that the next change still has an old value to show and to revert to.
    Runs after every migrate; once a model has versions it is left alone (demo data,
    written in bulk without versions, stays so)."""
    connection = connections[kwargs.get("using", DEFAULT_DB_ALIAS)]
    tables = set(connection.introspection.table_names())
    with reason("baseline"):
        for model in django_apps.get_models():
            if not has_history(model):
                continue
            versions = get_history_manager_for_model(model)
            if {model._meta.db_table, versions.model._meta.db_table} - tables:
                continue  # migrated only part of the way
            if versions.exists():
                continue
            pk = model._meta.pk.attname
            for record in model._default_manager.exclude(
                **{f"{pk}__in": versions.values(pk)}
            ).iterator():
                write_version(record, "+")


# Relations ---------------------------------------------------------------------------


def tracked_many(model):
    """The many-to-many fields whose state each version records."""
    return list(getattr(get_history_manager_for_model(model).model, "_history_m2m_fields", []))


def cascade_relations(model):
    """(child model, foreign key) of the rows deleted with a record of ``model``: a
    programme's roles, sites and figures, an organization's roles and memberships."""
    return [
        (relation.related_model, relation.field)
        for relation in model._meta.related_objects
        if relation.one_to_many
        and relation.on_delete is models.CASCADE
        and not relation.related_model._meta.auto_created
        and has_history(relation.related_model)
    ]


def owned_relations(model):
    """(child model, foreign key) of the rows that are part of a record of ``model``, as
    its admin page edits them: a programme's roles, sites and figures. A row that names
    the record it belongs to (`record_field`: a role belongs to its programme or event,
    not to its organization) is part of that one only."""
    return [
        (child, foreign_key)
        for child, foreign_key in cascade_relations(model)
        if getattr(child, "record_field", foreign_key.name) == foreign_key.name
    ]


def linking_fields(model):
    """(model, many-to-many field) of the records that link to a ``model`` record and
    keep those links in their versions (the countries, sectors and sources of records)."""
    return [
        (other, field)
        for other in django_apps.get_models()
        if has_history(other)
        for field in tracked_many(other)
        if field.related_model is model
    ]


def pointing_relations(model):
    """(model, foreign key) of records that point at a ``model`` record and lose the link
    when it is deleted (an event's programme, a site's host)."""
    return [
        (relation.related_model, relation.field)
        for relation in model._meta.related_objects
        if relation.one_to_many
        and relation.on_delete is models.SET_NULL
        and has_history(relation.related_model)
    ]


def version_values(version):
    """{attname: value} of a version's own fields, without the timestamps and copies."""
    model = version.instance_type
    skip = {"created", "updated", model._meta.pk.attname}
    return {
        field.attname: getattr(version, field.attname)
        for field in model._meta.concrete_fields
        if field.attname not in skip and field.name not in DERIVED_FIELDS
    }


def many_values(version):
    """{field name: [related pk]} recorded by a version, of the related records that
    still exist (a source deleted since cannot be cited again)."""
    values = {}
    for field in tracked_many(version.instance_type):
        through = getattr(version, field.name).model
        target = field.m2m_reverse_field_name()
        pks = [getattr(row, f"{target}_id") for row in through.objects.filter(history=version)]
        existing = field.related_model._default_manager.filter(pk__in=pks)
        values[field.name] = sorted(existing.values_list("pk", flat=True))
    return values


def check_can_stand(instance, many):
    """HistoryError unless `instance` with these links can be saved as it stands today:
    what it points at exists, its values pass the model's rules, and a published record
    still cites a source."""
    missing = missing_targets(instance)
    if missing:
        raise HistoryError(
            _("These related records no longer exist: %(fields)s.")
            % {"fields": ", ".join(map(str, missing))}
        )
    _validate(instance)
    check_publishable(instance, many)


def check_publishable(instance, many):
    """A published record cites at least one source: a version whose sources are all
    gone comes back only as a draft would, by the admin's hand."""
    published = getattr(instance, "is_published", False)
    if published and "sources" in many and not many["sources"]:
        raise HistoryError(
            _(
                "This version is published and none of its sources exists any more: "
                "a published record cites at least one source."
            )
        )


def missing_targets(instance):
    """Foreign keys of ``instance`` pointing at records that no longer exist."""
    missing = []
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.ForeignKey):
            value = getattr(instance, field.attname)
            if (
                value is not None
                and not field.related_model._default_manager.filter(pk=value).exists()
            ):
                missing.append(field.verbose_name)
    return missing


class HistoryError(Exception):
    """A revert or restore that cannot be done; the message says why."""


def _validate(instance):
    try:
        instance.full_clean(validate_unique=True)
    except ValidationError as error:
        messages = [
            " ".join(texts)
            if name == NON_FIELD_ERRORS
            else labelled(capfirst(instance._meta.get_field(name).verbose_name), " ".join(texts))
            for name, texts in error.message_dict.items()
        ]
        raise HistoryError("; ".join(messages)) from error


# Revert ------------------------------------------------------------------------------


def revert_plan(instance, version):
    """What reverting ``instance`` to ``version`` would change, as a list of
    (what, before, after) for the staff to confirm."""
    plan = []
    current = instance
    for attname, value in version_values(version).items():
        if getattr(current, attname) != value:
            field = next(f for f in type(instance)._meta.concrete_fields if f.attname == attname)
            plan.append(
                (field.verbose_name, _show(field, getattr(current, attname)), _show(field, value))
            )
    then = many_values(version)
    for field in tracked_many(type(instance)):
        now = sorted(getattr(instance, field.name).values_list("pk", flat=True))
        if now != then[field.name]:
            related = field.related_model._default_manager
            plan.append(
                (
                    field.verbose_name,
                    ", ".join(map(str, related.filter(pk__in=now))),
                    ", ".join(map(str, related.filter(pk__in=then[field.name]))),
                )
            )
    for child, foreign_key in owned_relations(type(instance)):
        now, then = _children_now_and_then(instance, child, foreign_key, version.history_date)
        changed = {
            pk for pk in now.keys() & then.keys() if _own_values(now[pk]) != _own_values(then[pk])
        }
        going = sorted(str(now[pk]) for pk in (now.keys() - then.keys()) | changed)
        coming = sorted(str(then[pk]) for pk in (then.keys() - now.keys()) | changed)
        if going or coming:
            plan.append((child._meta.verbose_name_plural, "; ".join(going), "; ".join(coming)))
    return plan


def owned_changes(model, newer, older):
    """The rows a record owns that differ between two of its versions, for the history
    page: [{"field": "Programme roles", "old": "...", "new": "..."}]."""
    pk = getattr(newer, model._meta.pk.attname)
    changes = []
    for child, foreign_key in owned_relations(model):
        versions = get_history_manager_for_model(child)
        before, after = (
            {
                row.pk: row
                for row in versions.as_of(version.history_date).filter(**{foreign_key.attname: pk})
            }
            for version in (older, newer)
        )
        changed = {
            key
            for key in before.keys() & after.keys()
            if _own_values(before[key]) != _own_values(after[key])
        }
        old = sorted(str(before[key]) for key in (before.keys() - after.keys()) | changed)
        new = sorted(str(after[key]) for key in (after.keys() - before.keys()) | changed)
        if old or new:
            changes.append(
                {
                    "field": capfirst(child._meta.verbose_name_plural),
                    "old": "; ".join(old),
                    "new": "; ".join(new),
                }
            )
    return changes


def _show(field, value):
    if value is None or value == "":
        return "—"
    if isinstance(field, models.ForeignKey):
        return str(field.related_model._default_manager.filter(pk=value).first() or value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def _own_values(instance):
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if field.name not in DERIVED_FIELDS and field.name not in {"created", "updated"}
    }


def _children_now_and_then(instance, child, foreign_key, when):
    now = {row.pk: row for row in child._default_manager.filter(**{foreign_key.name: instance})}
    then = {
        row.pk: row
        for row in get_history_manager_for_model(child)
        .as_of(when)
        .filter(**{foreign_key.attname: instance.pk})
    }
    return now, then


@transaction.atomic
def revert(instance, version, user=None):
    """Put ``instance`` back as it was at ``version``: its fields, its many-to-many
    relations and the rows it owns (recreated, changed back or deleted). Writes new
    versions with the reason "revert <version id>", so a revert can itself be reverted.
    HistoryError when the old state cannot stand today (a related record is gone)."""
    when = timezone.localtime(version.history_date).strftime("%Y-%m-%d %H:%M")
    with reason("revert", when):
        for attname, value in version_values(version).items():
            setattr(instance, attname, value)
        many = many_values(version)
        check_can_stand(instance, many)
        instance._history_user = user
        with one_version(instance):
            instance.save()
            for name, pks in many.items():
                getattr(instance, name).set(pks)
            for child, foreign_key in owned_relations(type(instance)):
                _revert_children(instance, child, foreign_key, version.history_date, user)
    return instance


def _revert_children(instance, child, foreign_key, when, user):
    now, then = _children_now_and_then(instance, child, foreign_key, when)
    for pk in now.keys() - then.keys():
        row = now[pk]
        row._history_user = user
        row.delete()
    for pk, old in then.items():
        if pk in now and _own_values(now[pk]) == _own_values(old):
            continue
        missing = missing_targets(old)
        if missing:
            continue  # its other end is gone: nothing to link back to
        old._history_user = user
        old.save()


# Deleted records ---------------------------------------------------------------------


def deleted(model):
    """The last version of each deleted ``model`` record, newest deletion first."""
    history = get_history_manager_for_model(model)
    return (
        history.latest_of_each()
        .filter(history_type="-")
        .exclude(**{f"{model._meta.pk.attname}__in": model._default_manager.values("pk")})
        .order_by("-history_date")
    )


@transaction.atomic
def restore(model, pk, user=None):
    """Bring back a deleted record as it was, with its many-to-many relations, the rows
    deleted along with it (roles, sites, figures...) and the links other records lost
    (an event's programme). Returns the record. HistoryError when it cannot be."""
    deletion = deleted(model).filter(**{model._meta.pk.attname: pk}).first()
    if deletion is None:
        raise HistoryError(_("This record is not deleted."))
    instance = deletion.instance
    check_can_stand(instance, many_values(deletion))
    when = timezone.localtime(deletion.history_date).strftime("%Y-%m-%d %H:%M")
    with reason("restore", when):
        _restore(instance, deletion, user)
        for dependent, foreign_key in pointing_relations(model):
            _relink(dependent, foreign_key, pk, user)
        for other, field in linking_fields(model):
            _relink_many(other, field, pk, deletion, user)
    return instance


def _restore(instance, deletion, user):
    model = type(instance)
    instance._history_user = user
    with one_version(instance, "+"):
        instance.save(force_insert=True)
        if hasattr(deletion, "created"):
            # "created" is stamped on insert: put the original back.
            model._default_manager.filter(pk=instance.pk).update(created=deletion.created)
            instance.created = deletion.created
        for name, pks in many_values(deletion).items():
            getattr(instance, name).set(pks)
        for child, foreign_key in cascade_relations(model):
            for row in _deleted_with_parent(child, foreign_key, instance.pk, deletion):
                child_instance = row.instance
                if not missing_targets(child_instance):
                    _restore(child_instance, row, user)


def _deleted_with_parent(child, foreign_key, parent_pk, deletion):
    return deleted(child).filter(
        **{foreign_key.attname: parent_pk},
        history_date__gte=deletion.history_date - CASCADE_WINDOW,
        history_date__lte=deletion.history_date,
    )


def _relink(dependent, foreign_key, pk, user):
    """Records whose link to ``pk`` was cleared when it was deleted (a SET_NULL delete
    writes no version) get it back."""
    history = get_history_manager_for_model(dependent)
    pk_name = dependent._meta.pk.attname
    lost = history.latest_of_each().filter(**{foreign_key.attname: pk}).exclude(history_type="-")
    for version in lost:
        record = dependent._default_manager.filter(
            **{pk_name: getattr(version, pk_name), f"{foreign_key.attname}__isnull": True}
        ).first()
        if record is not None:
            setattr(record, foreign_key.attname, pk)
            record._history_user = user
            record.save()


def _relink_many(model, field, pk, deletion, user):
    """Records that lost their link to the deleted record (a sector's organizations)
    had a version written without it at the deletion: each gets the link back."""
    history = get_history_manager_for_model(model)
    pk_name = model._meta.pk.attname
    at_deletion = history.filter(
        history_date__gte=deletion.history_date - CASCADE_WINDOW,
        history_date__lte=deletion.history_date + CASCADE_WINDOW,
    )
    for version in at_deletion:
        before = version.prev_record
        if before is None or pk not in _linked(before, field) or pk in _linked(version, field):
            continue
        record = model._default_manager.filter(pk=getattr(version, pk_name)).first()
        if record is not None and pk not in getattr(record, field.name).values_list(
            "pk", flat=True
        ):
            record._history_user = user
            with one_version(record):
                getattr(record, field.name).add(pk)


def _linked(version, field):
    target = field.m2m_reverse_field_name()
    rows = getattr(version, field.name).model.objects.filter(history=version)
    return {getattr(row, f"{target}_id") for row in rows}
