"""Export records of one tenant and their state machine:
pending -> processing -> completed -> expired, or -> failed (processing -> pending to retry).

Each pending or processing export also has a row in ``public.active_exports``
(ids only), changed in the same transaction as the export, so that the sweeper
finds lost work in one table. A processing attempt's worker holds an advisory
lock (EXPORT_LOCK_NAMESPACE, lock_key) while it runs; the lock tells the
sweeper the worker lives, and tells GET /exports/<id> which backend's COPY
progress to read.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from taskflask.data.queries import queries, text_of

# First key of the export locks (migrations use 0x7A5C with the schema's hash).
EXPORT_LOCK_NAMESPACE = 0x7A5E


@dataclass(frozen=True)
class Claim:
    """One attempt at an export: its number and the key of the lock its worker holds."""

    attempt: int
    lock_key: int


@dataclass(frozen=True)
class LostRun:
    """A processing attempt whose worker died (or hung, past stuck_after)."""

    export_id: str
    schema: str
    attempt: int
    hung: bool


def _now():
    return datetime.now(timezone.utc)


def create_export(cur, schema, requested_by, queue):
    """A pending export whose job goes to ``queue``; returns its id. Raises UniqueViolation while another is active."""
    export_id = queries.insert_export(cur.connection, requested_by=requested_by)
    queries.track_export(cur.connection, id=export_id, schema=schema, queue=queue)
    return export_id


def active_export(cur):
    """The tenant's pending or processing export, or None."""
    return queries.active_export(cur.connection)


def rows_written(cur, export):
    """Rows the running attempt of ``export`` has written so far; None when no worker holds it."""
    worker = queries.export_progress(cur.connection, id=export["id"], namespace=EXPORT_LOCK_NAMESPACE)
    if worker is None:
        return None
    if worker["copying"] is not None:
        return worker["copying"]
    return 0 if worker["starting"] else export["rowsExpected"]


def _with_progress(cur, export):
    """A processing export with its live rowsWritten (re-read if its worker just finished)."""
    if export is None or export["status"] != "processing":
        return export
    written = rows_written(cur, export)
    if written is None:  # finished a moment ago, or its worker died
        fresh = stored_export(cur, export["id"])
        if fresh["status"] != "processing":
            return fresh
        written = 0
    export["rowsWritten"] = written
    return export


def stored_export(cur, export_id):
    """One export in the API's shape as stored (no live progress), or None."""
    return next(iter(queries.list_exports(cur.connection, id=export_id, limit=1)), None)


def get_export(cur, export_id):
    """One export in the API's shape (a running one with its progress), or None."""
    return _with_progress(cur, stored_export(cur, export_id))


def list_exports(cur, limit=100):
    """The newest exports."""
    return [_with_progress(cur, export) for export in list(queries.list_exports(cur.connection, id=None, limit=limit))]


def claim_export(cur, schema, export_id):
    """pending -> processing; the Claim, or None when someone else has it or it is done."""
    attempt = queries.claim_export(cur.connection, id=export_id, now=_now())
    if attempt is None:
        return None
    return Claim(attempt, queries.track_claim(cur.connection, id=export_id, schema=schema, attempt=attempt))


def start_attempt(cur, export_id, claim):
    """Take the attempt's lock for the rest of the transaction (and UTC for the COPY).

    False if the attempt was taken back before its worker got here.
    """
    return queries.start_attempt(cur.connection, id=export_id, attempt=claim.attempt,
                                 namespace=EXPORT_LOCK_NAMESPACE, lock_key=claim.lock_key) is not None


def copy_csv(cur, out):
    """Stream the tenant's tasks as CSV into the binary file ``out``; returns the row count."""
    cur.copy_expert(text_of(queries.copy_csv), out)
    return cur.rowcount


def complete_export(cur, export_id, attempt, row_count):
    """processing -> completed with its row count; False unless ``attempt`` still holds it."""
    if queries.complete_export(cur.connection, id=export_id, attempt=attempt, row_count=row_count, now=_now()) != 1:
        return False
    queries.untrack_export(cur.connection, id=export_id)
    return True


def release_export(cur, export_id, error, attempt=None):
    """processing -> pending so that it runs again (attempt None: whichever attempt holds it)."""
    released = queries.release_export(cur.connection, id=export_id, attempt=attempt, error=error, now=_now())
    return _requeued(cur, export_id, released)


def _requeued(cur, export_id, changed):
    if changed != 1:
        return False
    queries.mark_requeued(cur.connection, id=export_id)
    return True


def fail_export(cur, export_id, error, attempt=None):
    """pending (or the given processing attempt) -> failed, with the reason."""
    if queries.fail_export(cur.connection, id=export_id, attempt=attempt, error=error, now=_now()) != 1:
        return False
    queries.untrack_export(cur.connection, id=export_id)
    return True


def forget_if_finished(cur, export_id):
    """Drop the export's active_exports row unless the export is pending or processing."""
    row = queries.export_state(cur.connection, id=export_id)
    if row is None or row["status"] not in ("pending", "processing"):
        queries.untrack_export(cur.connection, id=export_id)


def forget_export(cur, export_id):
    """Drop the export's active_exports row (its tenant is gone)."""
    queries.untrack_export(cur.connection, id=export_id)


def lost_runs(cur, queue, grace, stuck_after):
    """Attempts of ``queue``'s exports whose lock is free (worker dead) or that run past ``stuck_after``."""
    rows = queries.lost_runs(cur.connection, queue=queue, grace=grace, stuck_after=stuck_after,
                             namespace=EXPORT_LOCK_NAMESPACE)
    return [LostRun(str(row["export_id"]), row["schema_name"], row["attempt"], row["hung"]) for row in rows]


def take_back(cur, run, error):
    """The lost attempt -> pending; False if it finished or its worker is completing it right now."""
    taken = queries.take_back_export(cur.connection, id=run.export_id, attempt=run.attempt, error=error, now=_now())
    return _requeued(cur, run.export_id, taken)


def give_up(cur, run, error):
    """The lost attempt -> failed (it was the last one); False as for take_back."""
    if queries.give_up_export(cur.connection, id=run.export_id, attempt=run.attempt, error=error, now=_now()) != 1:
        return False
    queries.untrack_export(cur.connection, id=run.export_id)
    return True


def requeue_waiting(cur, queue, stuck_after):
    """``queue``'s exports pending longer than ``stuck_after`` (job lost?): [(schema, id)], marked queued now."""
    rows = queries.requeue_waiting(cur.connection, queue=queue, stuck_after=stuck_after)
    return [(row["schema_name"], str(row["export_id"])) for row in rows]


def track_untracked(cur, schema, queue=None):
    """Give every pending or processing export of ``schema`` its active_exports row, swept by the consumers
    of ``queue`` (None: any); returns how many lacked one."""
    return sum(queries.retrack_export(cur.connection, id=export["id"], schema=schema, queue=queue,
                                      attempt=export["attempt"],
                                      claimed_at=export["started_at"], queued_at=export["queued_at"])
               for export in list(queries.waiting_or_running(cur.connection)))


def expire_exports(cur, ttl: timedelta):
    """completed -> expired for exports older than ``ttl``; returns their ids."""
    return [row["id"] for row in queries.expire_exports(cur.connection, before=_now() - ttl)]
