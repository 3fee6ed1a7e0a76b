"""What the database needs for every registered record type beyond its app's own
migrations, made after every `migrate` from the registry, so that registering a type is
all it takes:

- on PostgreSQL, its table's search column (`search_vector`, which ranks results) and
  trigram index (which serves the substring match) (ecosystem.core.search). Without the
  column, search, every list's `?q=` and the API's `?q=` fail; without the index, every
  search reads the whole table. A system check names a table that lacks either;
- the staff groups' permissions on the models of its app: Editors add, change and view;
  Publishers also delete and publish.

Both receivers are connected once, for the core app (ecosystem/apps.py). The first
types' migrations made the same search objects (IF NOT EXISTS, here and there), and
migrations ecosystem 0007 and suggestions 0002 made the groups (they are empty now)."""

import sys

from django.apps import apps as django_apps
from django.contrib.auth.management import create_permissions
from django.core.checks import Tags, Warning, register
from django.db import DEFAULT_DB_ALIAS, connections

from ecosystem.core.registry import registry
from ecosystem.core.search import search_vector_sql, trigram_index_name, trigram_index_sql

# Search --------------------------------------------------------------------------------


def missing_search_objects(connection):
    """[(table, what it lacks, what fails without it, the SQL that makes it)] for the
    registered types' tables, on PostgreSQL. A table not made yet, or without its folded
    text yet (migrated only part of the way), is its migrations' business."""
    if connection.vendor != "postgresql":
        return []
    introspection = connection.introspection
    tables = {record_type.model._meta.db_table for record_type in registry}
    missing = []
    with connection.cursor() as cursor:
        for table in sorted(tables & set(introspection.table_names(cursor))):
            columns = {column.name for column in introspection.get_table_description(cursor, table)}
            if not {"search_names", "search_text"} <= columns:
                continue
            if "search_vector" not in columns:
                missing.append(
                    (
                        table,
                        "its search_vector column",
                        "search, every list's ?q= and the API's ?q= fail with a server error",
                        search_vector_sql(table),
                    )
                )
            if trigram_index_name(table) not in introspection.get_constraints(cursor, table):
                missing.append(
                    (
                        table,
                        "its trigram index on search_text",
                        "every search reads the whole table",
                        trigram_index_sql(table),
                    )
                )
    return missing


def make_search_objects(using=DEFAULT_DB_ALIAS, verbosity=1, **kwargs):
    """post_migrate: the search column and index of every registered type's table that
    lacks them. Unapplying an old migration that made them (members 0004...) therefore
    leaves them in place: the types registered still need them."""
    connection = connections[using]
    missing = missing_search_objects(connection)
    if not missing:
        return
    with connection.schema_editor() as editor:
        for table, what, _fails, statements in missing:
            for statement in statements:
                editor.execute(statement)
            if verbosity >= 1:
                kwargs.get("stdout", sys.stdout).write(f"  Made {what} for {table}.\n")


@register(Tags.database)
def search_objects(app_configs, databases=None, **kwargs):
    """A warning, not an error: `migrate` runs the database checks before it starts, and
    an error would stop the very command that makes what is missing. Fails
    `manage.py check --database default --fail-level WARNING`."""
    return [
        Warning(
            f"Table {table} lacks {what}: on PostgreSQL, {fails}.",
            hint="Run `python manage.py migrate"
            + ("" if alias == DEFAULT_DB_ALIAS else f" --database {alias}")
            + "`: it makes what search needs for every registered record type.",
            obj=table,
            id="ecosystem.W002",
        )
        for alias in databases or []
        for table, what, fails, _statements in missing_search_objects(connections[alias])
    ]


# Staff groups --------------------------------------------------------------------------

# What each group may do to the records, their relations, and the countries, sectors and
# sources (docs/staff.md, "Staff roles"); `publish` is the permission a publishable model
# has (Publishable.Meta.default_permissions).
GROUPS = {
    "Editor": {"add", "change", "view"},
    "Publisher": {"add", "change", "view", "delete", "publish"},
}
# Kept by the site itself, never edited by hand.
INTERNAL_MODELS = {"dataversion", "hubcount", "job", "jobprogress", "scheduledrun"}
_granted = {group: set() for group in GROUPS}


def grant(group, *permissions):
    """Permissions a group gets beyond the record types' apps, from another app's
    AppConfig.ready(): grant("Editor", "suggestions.change_suggestion")."""
    _granted[group].update(permissions)


def staff_models():
    """The models staff edit: every model of the core and of each app that registers a
    record type, but their versions and the tables the site keeps itself."""
    names = {"ecosystem", *registry.app_names()}
    return [
        model
        for config in django_apps.get_app_configs()
        if config.name in names
        for model in config.get_models()
        if not model._meta.model_name.startswith("historical")
        and model._meta.model_name not in INTERNAL_MODELS
    ]


def set_staff_groups(using=DEFAULT_DB_ALIAS, apps=django_apps, **kwargs):
    """post_migrate: the groups' permissions on the models they hold nothing of yet (a type
    registered since, a first migrate). What staff changed by hand on a model the groups
    already know (a permission given, one taken away) stays as they left it. Sent for the
    core app, before Django makes the permissions of the apps after it: those it needs
    are made here."""
    try:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
    except LookupError:  # migrated only part of the way
        return
    models = {(model._meta.app_label, model._meta.model_name) for model in staff_models()}
    labels = {label for label, _model in models} | {
        permission.split(".")[0] for granted in _granted.values() for permission in granted
    }
    for label in labels:
        create_permissions(django_apps.get_app_config(label), verbosity=0, using=using, apps=apps)
    permissions = Permission.objects.using(using).filter(content_type__app_label__in=labels)
    found = list(
        permissions.values_list("pk", "content_type__app_label", "content_type__model", "codename")
    )
    for name, actions in GROUPS.items():
        group, _created = Group.objects.using(using).get_or_create(name=name)
        known = set(group.permissions.values_list("content_type__app_label", "content_type__model"))
        group.permissions.add(
            *(
                pk
                for pk, label, model, codename in found
                if (label, model) not in known
                and (
                    ((label, model) in models and codename.split("_")[0] in actions)
                    or f"{label}.{codename}" in _granted[name]
                )
            )
        )
