"""Named SQL queries loaded from the hand-written files in sql/queries/.

A file holds blocks that each start with a ``-- name: <query_name>`` line;
``load("tasks").list`` is the text of the block named ``list`` in tasks.sql.
"""
import re
from functools import cache
from types import SimpleNamespace

from taskflask.settings import PROJECT_ROOT

QUERIES_DIR = PROJECT_ROOT / "sql" / "queries"
NAME_LINE = re.compile(r"^--\s*name:\s*(\w+)\s*$", re.MULTILINE)


def parse(text):
    """{name: sql} for every named block of one file."""
    parts = NAME_LINE.split(text)
    return {name: body.strip() for name, body in zip(parts[1::2], parts[2::2])}


@cache
def load(file_stem):
    """The queries of sql/queries/<file_stem>.sql as attributes."""
    return SimpleNamespace(**parse((QUERIES_DIR / f"{file_stem}.sql").read_text()))
