"""Migration files split into statements, one per execute (Citus takes DDL one statement at a time)."""
import pytest

from taskflask.tenants.migrations import split_statements


@pytest.mark.parametrize("text, statements", [
    ("CREATE TABLE a (x int);\nCREATE INDEX a_x ON a (x);\n", ("CREATE TABLE a (x int)", "CREATE INDEX a_x ON a (x)")),
    ("-- a comment; not a statement\nSELECT 1;\n-- trailing note\n", ("-- a comment; not a statement\nSELECT 1",)),
    ("SELECT 'a;b', \"odd;name\" FROM t; /* c; d */ SELECT 2",
     ("SELECT 'a;b', \"odd;name\" FROM t", "/* c; d */ SELECT 2")),
    ("DO $$ BEGIN PERFORM 1; PERFORM 2; END $$;\nSELECT 3", ("DO $$ BEGIN PERFORM 1; PERFORM 2; END $$", "SELECT 3")),
    ("DO $body$ BEGIN RAISE NOTICE '$$;'; END $body$", ("DO $body$ BEGIN RAISE NOTICE '$$;'; END $body$",)),
    ("SELECT 'it''s; fine';;", ("SELECT 'it''s; fine'",)),
])
def test_statements_end_only_at_semicolons_outside_literals_bodies_and_comments(text, statements):
    assert split_statements(text) == statements

