"""Tenant migrations stay fast with thousands of schemas: none may make PostgreSQL queue a new column value.

An ALTER TABLE that gives existing rows a value (ADD COLUMN ... DEFAULT, a
generated or identity column, a serial, ALTER COLUMN ... TYPE) makes PostgreSQL
15 read the whole of pg_index once per table: measured at 3,000 tenants, 9-15 ms
against 0.2-0.4 ms for the same change made the fast way, and it grows with
every tenant. sql/tenant/README.md gives the fast way; this checks the text of
every migration newer than the ones already shipped.
"""
import re

import pytest

from support.sql_text import statements
from taskflask.tenants.migrations import SQL_DIR, migrations

# Migrations up to this one were shipped before the rule (0002 adds queued_at with DEFAULT now());
# new tenants never run them (they start from sql/tenant/baseline.sql).
SHIPPED_BEFORE_THE_RULE = 3
ALTER_TABLE = re.compile(r"^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(?:\"[^\"]+\"|[\w.]+)\s+(.*)$",
                         re.IGNORECASE | re.DOTALL)
ADD_COLUMN = re.compile(r"^ADD\s+(COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(\"[^\"]+\"|\w+)\s+(.*)$",
                        re.IGNORECASE | re.DOTALL)
NOT_A_COLUMN = {"constraint", "primary", "unique", "check", "foreign", "exclude"}
ALTER_TYPE = re.compile(r"^ALTER\s+(?:COLUMN\s+)?(?:\"[^\"]+\"|\w+)\s+(?:SET\s+DATA\s+)?TYPE\b",
                        re.IGNORECASE)
SLOW_COLUMN_PARTS = [
    (re.compile(r"\bDEFAULT\b", re.IGNORECASE), "ADD COLUMN with a DEFAULT: add it without, then SET DEFAULT"),
    (re.compile(r"\bGENERATED\b", re.IGNORECASE), "a generated or identity column fills every row"),
    (re.compile(r"^(?:small|big)?serial\b", re.IGNORECASE), "a serial column has a nextval() default"),
    (re.compile(r"\bNOT\s+NULL\b", re.IGNORECASE),
     "ADD COLUMN ... NOT NULL: fails on a tenant with rows; backfill, then SET NOT NULL"),
]


def actions(rest):
    """The comma-separated actions of one ALTER TABLE (commas inside parentheses belong to their action)."""
    found, depth, start = [], 0, 0
    for position, char in enumerate(rest):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            found.append(rest[start:position].strip())
            start = position + 1
    found.append(rest[start:].strip())
    return [action for action in found if action]


def slow_forms(statement):
    """Why one statement would queue a new value for every row of a table (empty when it does not)."""
    table = ALTER_TABLE.match(statement.strip())
    if not table:
        return []
    found = []
    for action in actions(table[1]):
        column = ADD_COLUMN.match(action)
        if column and (column[1] or column[2].lower() not in NOT_A_COLUMN):
            found += [reason for pattern, reason in SLOW_COLUMN_PARTS if pattern.search(column[3])]
        elif ALTER_TYPE.match(action):
            found.append("ALTER COLUMN ... TYPE rewrites every row: add a new column and backfill it")
    return found


def problems(text):
    """{statement: reasons} of every slow statement in a migration's text."""
    return {statement: slow_forms(statement) for statement in statements(text) if slow_forms(statement)}


def test_no_new_tenant_migration_queues_a_value_for_every_row():
    newer = [m for m in migrations("tenant") if m.version > SHIPPED_BEFORE_THE_RULE]
    found = {f"{m.version:04d}_{m.name}.sql": problems(";\n".join(m.statements)) for m in newer}
    assert {name: slow for name, slow in found.items() if slow} == {}, "see sql/tenant/README.md"


def test_the_rule_would_have_caught_migration_0002():
    [path] = SQL_DIR.glob("tenant/0002_*.sql")
    assert list(problems(path.read_text()).values()) == [[SLOW_COLUMN_PARTS[0][1], SLOW_COLUMN_PARTS[3][1]]]


@pytest.mark.parametrize("statement", [
    "ALTER TABLE tasks ADD COLUMN priority integer NOT NULL DEFAULT 0",
    "ALTER TABLE tasks ADD priority integer DEFAULT 0",
    "alter table tasks add column if not exists priority int default 0",
    'ALTER TABLE tasks ADD COLUMN "order" numeric(10, 2) DEFAULT 0',
    "ALTER TABLE tasks ADD COLUMN seen_at timestamptz DEFAULT now()",
    "ALTER TABLE tasks ADD COLUMN a integer, ADD COLUMN b integer DEFAULT 1",
    "ALTER TABLE tasks ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY",
    "ALTER TABLE tasks ADD COLUMN words integer GENERATED ALWAYS AS (char_length(title)) STORED",
    "ALTER TABLE tasks ADD COLUMN n bigserial",
    "ALTER TABLE tasks ADD COLUMN priority integer NOT NULL",
    "ALTER TABLE tasks ALTER COLUMN title TYPE varchar(300)",
    "ALTER TABLE ONLY tasks ALTER title SET DATA TYPE varchar(300)",
])
def test_the_checker_catches_each_slow_form(statement):
    assert slow_forms(statement)


@pytest.mark.parametrize("statement", [
    "ALTER TABLE tasks ADD COLUMN priority integer",
    "ALTER TABLE tasks ALTER COLUMN priority SET DEFAULT 0",
    "UPDATE tasks SET priority = 0 WHERE priority IS NULL",
    "ALTER TABLE tasks ALTER COLUMN priority SET NOT NULL",
    "ALTER TABLE tasks ADD CONSTRAINT tasks_priority_not_null CHECK (priority IS NOT NULL) NOT VALID",
    "ALTER TABLE tasks VALIDATE CONSTRAINT tasks_priority_not_null",
    "ALTER TABLE tasks ADD CHECK (priority BETWEEN 0 AND 9) NOT VALID",
    "ALTER TABLE tasks ADD CONSTRAINT tasks_title_key UNIQUE (title)",
    "ALTER TABLE tasks ADD COLUMN note text, ADD COLUMN note_checked boolean",
    "CREATE TABLE labels (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), n integer NOT NULL DEFAULT 0)",
    "CREATE INDEX tasks_priority_idx ON tasks (priority, created_at DESC, id DESC)",
])
def test_the_checker_lets_the_fast_forms_through(statement):
    assert slow_forms(statement) == []
