"""Hypothesis property tests: schema-name validation and CSV neutralisation."""
import csv
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg2 import sql

from support.environment import EXPORTS_DIR
from support.tenants import TenantFixture
from taskflask.data.exports import create_export
from taskflask.data.tasks import create_task
from taskflask.db import database
from taskflask.exports.files import export_path
from taskflask.exports.writer import run_export
from taskflask.tenants.names import is_valid_schema_name
from taskflask.web.schemas import TRIMMED

FORMULA_STARTERS = "=+-@\t\r\n"
DB_SETTINGS = settings(max_examples=60, deadline=None,
                       suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Text as users type it, and worse: formula starters, quotes, commas, newlines, emoji, right-to-left.
cell_text = st.lists(
    st.one_of(st.sampled_from(list(FORMULA_STARTERS + "\",;' a1")), st.sampled_from(["🎉", "👩‍💻", "שלום", "مرحبا"]),
              st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")),
    min_size=1, max_size=40).map("".join)


def expected_name_validity(name):
    """An independent statement of the rule."""
    return (re.fullmatch(r"[a-z_][a-z0-9_]*", name) is not None and len(name) <= 63
            and name not in ("public", "information_schema") and not name.startswith("pg_"))


@pytest.mark.slow  # about 10 s: generating from the regex is what takes time
@given(st.text(max_size=80) | st.from_regex(r"[a-z_][a-z0-9_]{0,70}", fullmatch=True))
def test_schema_name_validation_matches_the_rule(name):
    assert is_valid_schema_name(name) == expected_name_validity(name)


@given(st.from_regex(r"[a-z_][a-z0-9_]{0,62}", fullmatch=True).filter(is_valid_schema_name))
@settings(max_examples=60, deadline=None)
def test_every_valid_name_is_a_plain_identifier_postgresql_accepts(app, name):
    with database.transaction() as cur:
        cur.execute("SELECT quote_ident(%s) AS quoted", (name,))
        assert cur.fetchone()["quoted"] in (name, f'"{name}"')  # at most keyword quoting, never escaping
        cur.execute("SAVEPOINT probe")
        cur.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
        cur.execute("ROLLBACK TO SAVEPOINT probe")


@given(st.text(max_size=100))
@DB_SETTINGS
def test_any_schema_name_gets_a_clean_answer(client, name):
    response = client.post("/organizations", json={"name": "P", "schemaName": name})
    assert response.status_code in (201, 400, 409)
    # The server trims what JavaScript's trim() does (not \x1c-\x1f, as Python's strip() would).
    assert (response.status_code == 400) == (not is_valid_schema_name(name.strip(TRIMMED)))


@pytest.fixture(scope="module")
def csv_tenant(app):
    return TenantFixture(app.test_client(), "csv")


@pytest.mark.slow  # 60 exports written and read back
@given(st.lists(st.tuples(cell_text, cell_text | st.none()), min_size=1, max_size=8))
@DB_SETTINGS
def test_exported_cells_are_neutralised_and_round_trip(csv_tenant, rows):
    with database.transaction(csv_tenant.schema) as cur:
        cur.execute("DELETE FROM tasks")
        for title, description in rows:
            create_task(cur, title, description, csv_tenant.admin["id"])
        export_id = create_export(cur, csv_tenant.schema, csv_tenant.admin["id"], queue=None)
    assert run_export(database, EXPORTS_DIR, csv_tenant.schema, export_id) == "completed"
    path = export_path(EXPORTS_DIR, csv_tenant.schema, export_id)
    with open(path, newline="", encoding="utf-8") as handle:
        exported = [(row["title"], row["description"]) for row in csv.DictReader(handle)]

    def neutralised(text):
        if text is None:
            return ""
        return "'" + text if text[0] in FORMULA_STARTERS else text

    assert sorted(exported) == sorted((neutralised(t), neutralised(d)) for t, d in rows)
    for title, description in exported:
        for cell in (title, description):
            assert not cell or cell[0] not in FORMULA_STARTERS
