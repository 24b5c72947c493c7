"""Export records of one tenant and their state machine:
pending -> processing -> completed | failed (processing -> pending for a retry).
"""
from datetime import datetime, timezone

from taskflask import queries

Q = queries.load("exports")


def _now():
    return datetime.now(timezone.utc)


def create_export(cur, requested_by):
    """A pending export; returns its id."""
    cur.execute(Q.insert, {"requested_by": requested_by})
    return cur.fetchone()["id"]


def get_export(cur, export_id):
    """One export in the API's shape, or None."""
    cur.execute(Q.get, {"id": export_id})
    return cur.fetchone()


def list_exports(cur, limit=100):
    """The newest exports."""
    cur.execute(Q.list, {"limit": limit})
    return cur.fetchall()


def claim_export(cur, export_id):
    """pending -> processing; False when someone else has it or it is finished."""
    cur.execute(Q.claim, {"id": export_id, "now": _now()})
    return cur.fetchone() is not None


def complete_export(cur, export_id, row_count):
    """processing -> completed with its row count."""
    cur.execute(Q.complete, {"id": export_id, "row_count": row_count, "now": _now()})


def release_export(cur, export_id, error):
    """processing -> pending, so that a retry can claim it again."""
    cur.execute(Q.release, {"id": export_id, "error": error})


def fail_export(cur, export_id, error):
    """pending/processing -> failed, with the reason."""
    cur.execute(Q.fail, {"id": export_id, "error": error, "now": _now()})
