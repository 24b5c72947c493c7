"""A quick lint for what Citus refuses on a distributed schema, run without a cluster.

These read the text of every SQL file and the catalog of a tenant schema, so
they catch a known mistake early; they do not prove that anything works on
Citus. That is tests/test_citus.py and the whole suite's second pass on a real
cluster (make test-citus).
"""
import re

import pytest

from support.sql_text import statements
from taskflask.db import database
from taskflask.tenants.migrations import SQL_DIR

# Functions that are not immutable: Citus refuses them inside CASE/COALESCE of an UPDATE.
NOT_IMMUTABLE = re.compile(
    r"\b(now|clock_timestamp|statement_timestamp|transaction_timestamp|timeofday|random|gen_random_uuid|"
    r"uuid_generate_v4|nextval)\s*\(|\b(current_timestamp|current_date|current_time|localtimestamp|localtime)\b",
    re.IGNORECASE)
TABLE_REFERENCE = re.compile(r"\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+(?:ONLY\s+)?\"?(\w+)\"?\s*\.", re.IGNORECASE)
SHARED_SCHEMAS = {"public", "pg_catalog"}


def parenthesised(text, start):
    """The text from the "(" at ``start`` to its matching ")"."""
    depth = 0
    for position in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[position], 0)
        if depth == 0:
            return text[start:position + 1]
    return text[start:]


def case_expressions(statement):
    """Every CASE ... END of a statement (nested ones included)."""
    tokens = list(re.finditer(r"\b(CASE|END)\b", statement, re.IGNORECASE))
    found = []
    for index, token in enumerate(tokens):
        if token.group(1).upper() != "CASE":
            continue
        depth = 0
        for later in tokens[index:]:
            depth += 1 if later.group(1).upper() == "CASE" else -1
            if depth == 0:
                found.append(statement[token.start():later.end()])
                break
    return found


def violations(statement):
    """What in one statement Citus would refuse on a distributed schema."""
    found = []
    upper = statement.upper()
    if re.search(r"\bCREATE\s+(OR\s+REPLACE\s+)?(CONSTRAINT\s+)?TRIGGER\b", upper):
        found.append("trigger")
    if re.search(r"\bINHERITS\s*\(", upper):
        found.append("INHERITS")
    if re.match(r"CREATE\s+SCHEMA\b", upper) and re.search(r"\bCREATE\s+(TABLE|VIEW|INDEX|SEQUENCE)\b", upper[6:]):
        found.append("CREATE SCHEMA with its objects in one statement")
    if upper.startswith("INSERT"):
        for values in re.finditer(r"\bVALUES\s*\(", statement, re.IGNORECASE):
            if re.search(r"\bSELECT\b", parenthesised(statement, values.end() - 1), re.IGNORECASE):
                found.append("subquery inside INSERT ... VALUES")
    if upper.startswith("UPDATE") or re.search(r"\bUPDATE\s+\w", upper):
        parts = case_expressions(statement) + [
            parenthesised(statement, match.end() - 1)
            for match in re.finditer(r"\bCOALESCE\s*\(", statement, re.IGNORECASE)]
        if any(NOT_IMMUTABLE.search(part) for part in parts):
            found.append("non-immutable function inside CASE/COALESCE of an UPDATE")
    for schema in TABLE_REFERENCE.findall(statement):
        if schema.lower() not in SHARED_SCHEMAS:
            found.append(f"table of schema {schema!r}: a query must not reach into another tenant")
    return found


SQL_FILES = sorted(SQL_DIR.glob("tenant/*.sql")) + sorted(SQL_DIR.glob("queries/*.sql"))


@pytest.mark.parametrize("path", SQL_FILES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_sql_file_uses_nothing_citus_refuses(path):
    assert [(s[:60], v) for s in statements(path.read_text()) for v in violations(s)] == []


@pytest.mark.parametrize("statement, rule", [
    ("UPDATE tasks SET completed_at = coalesce(completed_at, now()) WHERE id = %(id)s", "non-immutable"),
    ("UPDATE tasks SET completed_at = CASE WHEN status = 'completed' THEN clock_timestamp() END", "non-immutable"),
    ("UPDATE tasks SET completed_at = COALESCE(completed_at, CURRENT_TIMESTAMP)", "non-immutable"),
    ("INSERT INTO tasks (title, created_by) VALUES ('x', (SELECT id FROM users LIMIT 1))", "subquery"),
    ("CREATE TABLE archived (LIKE tasks) INHERITS (tasks)", "INHERITS"),
    ("CREATE TRIGGER touch BEFORE UPDATE ON tasks FOR EACH ROW EXECUTE FUNCTION touch()", "trigger"),
    ("CREATE SCHEMA acme CREATE TABLE notes (id int PRIMARY KEY)", "CREATE SCHEMA"),
    ("SELECT a.id FROM tenant_a.tasks a JOIN tenant_b.tasks b ON a.id = b.id", "another tenant"),
])
def test_the_checker_catches_what_citus_refuses(statement, rule):
    assert any(rule in found for found in violations(statement))


@pytest.mark.parametrize("statement", [
    "UPDATE tasks SET completed_at = coalesce(%(now)s, completed_at) WHERE id = %(id)s",
    "UPDATE tasks SET completed_at = now() WHERE id = %(id)s AND completed_at IS NULL",
    "INSERT INTO tasks (title, created_by) SELECT 'x', id FROM users LIMIT 1",
    "SELECT id FROM tasks WHERE title = 'CREATE TRIGGER; INHERITS (x)'",
    "SELECT schema_name FROM public.organizations",
])
def test_the_checker_lets_through_what_citus_accepts(statement):
    assert [v for s in statements(statement) for v in violations(s)] == []


def tenant_catalog(cur, schema, query):
    cur.execute(query, {"schema": schema})
    return [row["name"] for row in cur.fetchall()]


def test_every_tenant_table_has_a_primary_key_and_no_trigger_or_foreign_key_out(tenant):
    with database.transaction(read_only=True) as cur:
        tables = tenant_catalog(cur, tenant.schema, """
            SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = %(schema)s AND c.relkind IN ('r', 'p')""")
        without_key = tenant_catalog(cur, tenant.schema, """
            SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = %(schema)s AND c.relkind IN ('r', 'p')
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p')""")
        keys_out = tenant_catalog(cur, tenant.schema, """
            SELECT k.conname AS name FROM pg_constraint k
            JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE k.contype = 'f' AND n.nspname = %(schema)s AND r.relnamespace <> n.oid""")
        triggers = tenant_catalog(cur, tenant.schema, """
            SELECT t.tgname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = %(schema)s AND NOT t.tgisinternal""")
    assert {"users", "tasks", "exports", "schema_migrations"} <= set(tables)
    assert (without_key, keys_out, triggers) == ([], [], [])
