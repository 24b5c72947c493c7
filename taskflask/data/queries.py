"""The named queries of sql/queries/*.sql, loaded once by aiosql.

Each query's name line ends in its result operator: none for rows, ``^`` one
row (or None), ``$`` one value, ``!`` the row count, ``<!`` the RETURNING row,
``#`` a script. Parameters are ``:name``; a literal ``%`` is written ``%%``
(psycopg2 formats every query, since aiosql always passes a dict). Names are
unique across files: ``queries.get_task(conn, id=...)``.

``<!`` only for a RETURNING of several columns: on a dict row aiosql would
unwrap a lone column by index (use ``$`` for that).
"""
import aiosql
from psycopg2.extras import RealDictCursor

from taskflask.settings import PROJECT_ROOT

QUERIES_DIR = PROJECT_ROOT / "sql" / "queries"


def load(path, **cursor_options):
    """The queries of ``path`` (a file or QUERIES_DIR), each run on a new cursor made with ``cursor_options``."""
    return aiosql.from_path(path, "psycopg2", kwargs=cursor_options, mandatory_parameters=False)


# Rows as dicts, in the API's shape (its column aliases are the JSON keys).
queries = load(QUERIES_DIR, cursor_factory=RealDictCursor)


def text_of(query):
    """A query's SQL without its final ";", to send after or among other statements."""
    return query.sql.rstrip().rstrip(";")
