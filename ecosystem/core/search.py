"""Text search that ignores case, accents and typographic apostrophes, the same way on
SQLite and PostgreSQL: "cote d'ivoire" finds "Côte d’Ivoire", "thies" finds "Thiès".

Each record keeps a folded copy of what search looks at (``search_text``: names,
acronyms, summaries and descriptions in both languages, and the names of its countries
and sectors; ``search_names``: names and acronym). Matching is a plain substring test on
those columns, so it behaves identically on both databases, served on PostgreSQL by a
trigram index (pg_trgm). PostgreSQL also ranks the results by relevance, names weighing
most, on a stored text vector computed by the database itself (`search_vector`, a
generated column kept current on every write, bulk ones included): no vector is computed
per row at query time. The vector is not used to match: a word-based match would find
fewer records than SQLite's substring test ("gal" in "Sénégal").
"""

import re
import unicodedata

from django.db import connection, migrations
from django.db.models import FloatField
from django.db.models.expressions import RawSQL

APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
WORD = re.compile(r"\w+")
MAX_QUERY_LENGTH = 200
# Past this many matches, results come in the list's own order (by name): ranking a
# common word's hundred thousand matches costs seconds and tells nothing.
MAX_RANKED = 10_000


def fold(text: str) -> str:
    """Lower case, no accents, straight apostrophes, single spaces."""
    decomposed = unicodedata.normalize("NFKD", str(text).translate(APOSTROPHES))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


def search_key(text: str) -> str:
    """What search compares: folded, and without apostrophes, so that "ndjamena" finds
    "N’Djamena" and "cote d'ivoire" finds "Côte d’Ivoire"."""
    return fold(text).replace("'", "")


def char_key(char: str) -> str:
    """What one character becomes in a search key ("" for an apostrophe or an accent
    on its own), spaces kept, so that a match can be traced back to the text."""
    decomposed = unicodedata.normalize("NFKD", char.translate(APOSTROPHES))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold().replace("'", "")


def matched_spans(text: str, terms) -> list[tuple[int, int]]:
    """Where in `text` the search `terms` match, as search matches them (case, accents
    and apostrophes ignored): merged (start, end) spans of the original text."""
    folded, owners = [], []
    for index, char in enumerate(text):
        key = char_key(char)
        folded.append(key)
        owners.extend([index] * len(key))
    folded = "".join(folded)
    spans = []
    for term in terms:
        for match in re.finditer(re.escape(term), folded):
            spans.append((owners[match.start()], owners[match.end() - 1] + 1))
    merged = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def words(query: str) -> list[str]:
    return WORD.findall(search_key(query))


def search(queryset, query: str):
    """Records matching every word of the query; ranked by relevance on PostgreSQL when
    there are at most MAX_RANKED of them."""
    terms = words(query)
    if not terms:
        return queryset
    for term in terms:
        queryset = queryset.filter(search_text__contains=term)
    if connection.vendor == "postgresql" and (
        queryset.order_by()[: MAX_RANKED + 1].count() <= MAX_RANKED
    ):
        # Prefix matching ("senegal" ranks "senegalaise"); terms are word characters
        # only, so the tsquery cannot be malformed. Cover density, with names (weight A)
        # counting five times the rest (weight B): a match in the name comes first.
        vector = f'"{queryset.model._meta.db_table}".search_vector'
        rank = RawSQL(
            f"ts_rank_cd('{{0, 0, 0.2, 1}}', {vector}, to_tsquery('simple', %s))",
            [" & ".join(f"{term}:*" for term in terms)],
            output_field=FloatField(),
        )
        queryset = queryset.annotate(rank=rank).order_by("-rank", "pk")
    return queryset


def trigram_index_name(table):
    return f"{table}_search_trgm"


def trigram_index_sql(table):
    """On PostgreSQL, a trigram index (pg_trgm) on the folded text, which serves
    search's substring tests instead of a scan of every row. SQLite, with its few
    thousand rows, goes without."""
    return [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        f'CREATE INDEX IF NOT EXISTS "{trigram_index_name(table)}" '
        f'ON "{table}" USING gin (search_text gin_trgm_ops)',
    ]


def search_vector_sql(table):
    """On PostgreSQL, the stored vector that ranks search results, names (weight A)
    before the rest (weight B). The folded columns are already without accents or case,
    so the 'simple' configuration serves French and English alike."""
    return [
        f'ALTER TABLE "{table}" ADD COLUMN IF NOT EXISTS search_vector tsvector '
        "GENERATED ALWAYS AS ("
        "setweight(to_tsvector('simple', search_names), 'A') || "
        "setweight(to_tsvector('simple', search_text), 'B')) STORED"
    ]


def postgresql_only(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


# The migration operations the first record types' migrations call. A type registered
# since needs neither: after every migrate, ecosystem.core.database makes the column and
# the index for every registered type's table that lacks them, with the same SQL.


def trigram_index(table):
    return migrations.RunPython(
        postgresql_only(trigram_index_sql(table)),
        postgresql_only([f'DROP INDEX IF EXISTS "{trigram_index_name(table)}"']),
    )


def search_vector(table):
    return migrations.RunPython(
        postgresql_only(search_vector_sql(table)),
        postgresql_only([f'ALTER TABLE "{table}" DROP COLUMN IF EXISTS search_vector']),
    )
