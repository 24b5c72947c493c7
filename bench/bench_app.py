"""taskflask plus one bare route, for measuring what the tenant machinery costs.

``GET /bare/<schema>/tasks`` runs the same SQL as ``GET /tasks?limit=100`` on
the same pool, but with none of the machinery: no headers, no tenant or user
lookup, no SET LOCAL (the table is schema-qualified), no input schema, and the
rows go out as they come. It exists only in this benchmark app.
"""
from psycopg2 import sql

from taskflask import create_app, queries
from taskflask.db import database
from taskflask.jsonprovider import json_array_response

app = create_app()
LIST_SQL = queries.load("tasks").list.replace("FROM tasks", "FROM {}.tasks")
PARAMS = {"status": None, "limit": 101, "after_created_at": None, "after_id": None}  # list_tasks asks limit + 1


@app.get("/bare/<schema>/tasks")
def bare_tasks(schema):
    """The first page of tasks of ``schema``, with nothing around the query."""
    with database.connection() as conn, conn.cursor() as cur:
        cur.execute(sql.SQL(LIST_SQL).format(sql.Identifier(schema)), PARAMS)
        rows = cur.fetchall()[:100]
    return json_array_response([row[0] for row in rows])
