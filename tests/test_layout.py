"""The shape of the code: SQL runs only in the data layer, and every named query is used.

taskflask/data/ (and the transaction primitives of taskflask/db.py) are the
only modules that execute SQL or load it with aiosql; sql/queries/ holds no
query that nothing calls, and the data layer calls no query that is not there.
Each check is first shown to catch what it looks for, so none passes by
looking at nothing.
"""
import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "taskflask"
DATA_LAYER = PACKAGE / "data"
QUERIES_DIR = ROOT / "sql" / "queries"
# Allowed to execute SQL: the data layer, and the pool's BEGIN/COMMIT/ROLLBACK.
SQL_HOMES = (DATA_LAYER, PACKAGE / "db.py")
EXECUTING_METHODS = {"execute", "executemany", "copy_expert", "callproc"}
# The objects of taskflask/data/queries.py that hold the loaded queries.
QUERY_HOLDERS = {"queries"}
NAME_LINE = re.compile(r"^--\s*name\s*:\s*(\w+)", re.MULTILINE)


def sql_runners(source):
    """Lines of ``source`` that execute SQL or import aiosql: [(line, what)]."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in EXECUTING_METHODS:
            found.append((node.lineno, f".{node.func.attr}()"))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, "import aiosql") for alias in node.names if alias.name.split(".")[0] == "aiosql"]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "aiosql":
            found.append((node.lineno, "from aiosql import"))
    return found


def defined_queries(texts):
    """The query names of SQL files' texts (aiosql's ``-- name:`` lines, without the operator)."""
    return {name for text in texts for name in NAME_LINE.findall(text)}


def called_queries(source):
    """Query names ``source`` reaches through the loaded queries (``queries.get_task``, ``..._cursor``)."""
    return {node.attr.removesuffix("_cursor") for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in QUERY_HOLDERS}


def modules(folder):
    return sorted(folder.rglob("*.py"))


def outside_sql_homes(path):
    return not any(path == home or home in path.parents for home in SQL_HOMES)


@pytest.mark.parametrize("source", [
    "cur.execute('SELECT 1')",
    "def f(conn):\n    conn.cursor().executemany(statement, rows)",
    "cur.copy_expert(statement, out)",
    "cur.callproc('f')",
    "import aiosql",
    "from aiosql.adapters.pyformat import PyFormatAdapter",
])
def test_the_layout_check_catches_sql_run_outside_the_data_layer(source):
    assert sql_runners(source)


def test_the_layout_check_lets_data_functions_be_called():
    assert sql_runners("from taskflask.data.tasks import get_task\nget_task(cur, task_id)\nhuey.enqueue(job)") == []


def test_nothing_outside_the_data_layer_executes_sql():
    checked = [path for path in modules(PACKAGE) if outside_sql_homes(path)]
    offenders = [f"{path.relative_to(ROOT)}:{line} {what}"
                 for path in checked for line, what in sql_runners(path.read_text())]
    assert len(checked) > 30  # the whole package was read, not an empty folder
    assert offenders == []


def test_the_query_checks_tell_defined_from_called_queries():
    texts = ["-- name: get_task^\nSELECT 1;\n\n-- name: list_users\n-- A doc line.\nSELECT 2;\n"]
    assert defined_queries(texts) == {"get_task", "list_users"}
    assert called_queries("queries.get_task(conn, id=1)\nwith queries.list_users_cursor(conn) as c: pass\n"
                          "other.get_task(conn)") == {"get_task", "list_users"}


def test_every_named_query_is_called_from_the_data_layer():
    defined = defined_queries(path.read_text() for path in sorted(QUERIES_DIR.glob("*.sql")))
    called = set().union(*(called_queries(path.read_text()) for path in modules(DATA_LAYER)))
    assert len(defined) > 20
    assert sorted(defined - called) == [], "queries in sql/queries/ that no data function runs"


def test_every_query_the_data_layer_calls_is_defined():
    defined = defined_queries(path.read_text() for path in sorted(QUERIES_DIR.glob("*.sql")))
    called = set().union(*(called_queries(path.read_text()) for path in modules(DATA_LAYER)))
    assert sorted(called - defined) == [], "data functions naming a query that sql/queries/ lacks"
