"""Export records of one tenant and their state machine:
pending -> processing -> completed -> expired, or -> failed (processing -> pending to retry).
"""
from datetime import datetime, timedelta, timezone

from taskflask import queries

Q = queries.load("exports")


def _now():
    return datetime.now(timezone.utc)


def create_export(cur, requested_by):
    """A pending export; returns its id. Raises UniqueViolation while another is active."""
    cur.execute(Q.insert, {"requested_by": requested_by})
    return cur.fetchone()["id"]


def active_export(cur):
    """The tenant's pending or processing export, or None."""
    cur.execute(Q.active)
    return cur.fetchone()


def get_export(cur, export_id):
    """One export in the API's shape, or None."""
    cur.execute(Q.get, {"id": export_id})
    return cur.fetchone()


def list_exports(cur, limit=100):
    """The newest exports."""
    cur.execute(Q.list, {"limit": limit})
    return cur.fetchall()


def claim_export(cur, export_id):
    """pending -> processing; the attempt number, or None when someone else has it or it is done."""
    cur.execute(Q.claim, {"id": export_id, "now": _now()})
    row = cur.fetchone()
    return row["attempts"] if row else None


def complete_export(cur, export_id, attempt, row_count):
    """processing -> completed with its row count (only by the attempt that holds it)."""
    cur.execute(Q.complete, {"id": export_id, "attempt": attempt, "row_count": row_count, "now": _now()})


def release_export(cur, export_id, error, attempt=None):
    """processing -> pending so that it runs again (attempt None: whichever attempt holds it)."""
    cur.execute(Q.release, {"id": export_id, "attempt": attempt, "error": error, "now": _now()})


def fail_export(cur, export_id, error, attempt=None):
    """pending (or the given processing attempt) -> failed, with the reason."""
    cur.execute(Q.fail, {"id": export_id, "attempt": attempt, "error": error, "now": _now()})


def _ids(cur, query, **params):
    cur.execute(query, params)
    return [row["id"] for row in cur.fetchall()]


def reap_exports(cur, stuck_after, max_attempts):
    """Exports whose worker vanished: (ids to queue again, ids given up as failed)."""
    now = _now()
    before = now - stuck_after
    requeue = _ids(cur, Q.release_stuck, before=before, max_attempts=max_attempts, now=now)
    failed = _ids(cur, Q.fail_stuck, before=before, max_attempts=max_attempts, now=now)
    requeue += _ids(cur, Q.requeue_waiting, before=before, now=now)
    return requeue, failed


def expire_exports(cur, ttl: timedelta):
    """completed -> expired for exports older than ``ttl``; returns their ids."""
    return _ids(cur, Q.expire, before=_now() - ttl)
