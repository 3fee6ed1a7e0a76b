"""Text search that ignores case, accents and typographic apostrophes, the same way on
SQLite and PostgreSQL: "cote d'ivoire" finds "Côte d’Ivoire", "thies" finds "Thiès".

Each record keeps a folded copy of what search looks at (``search_text``: names,
acronyms, summaries and descriptions in both languages, and the names of its countries
and sectors; ``search_names``: names and acronym). Matching is a plain substring test on
those columns, so it behaves identically on both databases; PostgreSQL also ranks the
results by relevance, names weighing most.
"""

import re
import unicodedata

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, migrations

APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
WORD = re.compile(r"\w+")
MAX_QUERY_LENGTH = 200


def fold(text: str) -> str:
    """Lower case, no accents, straight apostrophes, single spaces."""
    decomposed = unicodedata.normalize("NFKD", str(text).translate(APOSTROPHES))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


def search_key(text: str) -> str:
    """What search compares: folded, and without apostrophes, so that "ndjamena" finds
    "N’Djamena" and "cote d'ivoire" finds "Côte d’Ivoire"."""
    return fold(text).replace("'", "")


def words(query: str) -> list[str]:
    return WORD.findall(search_key(query))


def search(queryset, query: str):
    """Records matching every word of the query; ranked by relevance on PostgreSQL."""
    terms = words(query)
    if not terms:
        return queryset
    for term in terms:
        queryset = queryset.filter(search_text__contains=term)
    if connection.vendor == "postgresql":
        # Prefix matching ("senegal" ranks "senegalaise"); tokens are word characters
        # only, so the raw tsquery cannot be malformed.
        tokens = terms
        tsquery = SearchQuery(
            " & ".join(f"{token}:*" for token in tokens), search_type="raw", config="simple"
        )
        # A match in the name outweighs any number of matches in the descriptions.
        names = SearchRank(SearchVector("search_names", config="simple"), tsquery)
        texts = SearchRank(SearchVector("search_text", config="simple"), tsquery)
        queryset = queryset.annotate(rank=names + 0.2 * texts).order_by("-rank", "pk")
    return queryset


def trigram_index(table):
    """A migration operation for a table of records: on PostgreSQL, a trigram index
    (pg_trgm) on the folded text, which serves search's substring tests instead of a
    scan of every row. SQLite, with its few thousand rows, goes without."""
    name = f"{table}_search_trgm"

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_text gin_trgm_ops)"
            )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop)
