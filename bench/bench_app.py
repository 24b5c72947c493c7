"""taskflask plus two bare routes, for measuring what the tenant machinery costs.

Both run the SQL of ``GET /tasks?limit=100`` on the same pool with none of the
tenant machinery the issue names: no header parsing, no tenant or user
resolution, no SET LOCAL (the table is schema-qualified), no input
validation, and the rows go out as PostgreSQL encoded them.

- ``/bare-autocommit/<schema>/tasks`` is the query alone, one message in
  autocommit, one round trip: the form GET /tasks has (its one statement,
  the search_path set from the registry and the tenant check beside the page, in
  autocommit, web/tenancy.py's reads_once). The machinery target is measured
  against it.
- ``/bare/<schema>/tasks`` runs it in a transaction of its own, ``BEGIN`` sent
  with the query and ``COMMIT`` at the end (two round trips): the form every
  taskflask request had before, and the writes still have; reported beside it.

They exist only in this benchmark app.
"""
from psycopg2 import sql

from taskflask.data.queries import queries
from taskflask.db import database
from taskflask.web.app import create_app
from taskflask.web.json_provider import json_array_response

app = create_app()
# The same text as GET /tasks, its tables qualified by the schema ({schema}) instead of a search_path.
# The JSON's braces are doubled for sql.SQL.format.
LIST_SQL = queries.list_tasks.sql.replace("{", "{{").replace("}", "}}").replace("FROM tasks", "FROM {schema}.tasks")
# list_tasks asks limit + 1; no search, no cursor.
PARAMS = {"status": None, "pattern": None, "limit": 101, "after_created_at": None, "after_id": None}


def first_page(cur, schema, begin):
    cur.execute(sql.SQL("BEGIN; " if begin else "") + sql.SQL(LIST_SQL).format(schema=sql.Identifier(schema)), PARAMS)
    return json_array_response([row[0] for row in cur.fetchall()[:100]])


@app.get("/bare/<schema>/tasks")
def bare_tasks(schema):
    """The first page of tasks of ``schema`` in a transaction, with nothing around it."""
    with database.connection() as conn, conn.cursor() as cur:
        response = first_page(cur, schema, begin=True)
        cur.execute("COMMIT")
    return response


@app.get("/bare-autocommit/<schema>/tasks")
def bare_autocommit_tasks(schema):
    """The first page of tasks of ``schema``: the query alone."""
    with database.connection() as conn, conn.cursor() as cur:
        return first_page(cur, schema, begin=False)
