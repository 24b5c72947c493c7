"""Upkeep of exports across all tenants: take back lost work, expire old files.

Huey has no acknowledgements: a worker killed mid-export leaves its export in
``processing``. Its worker held the attempt's advisory lock in the transaction
of its COPY, and PostgreSQL released it when the connection died; the sweep
(every SWEEP_INTERVAL in each consumer) finds such attempts in the one table
``public.active_exports`` and queues them again, or fails them after
EXPORT_MAX_ATTEMPTS. A worker that is alive but hung keeps its lock: its
attempt is taken back once it has run for EXPORT_STUCK_AFTER. The expiry
removes files older than EXPORT_TTL.
"""
import logging
import threading
from datetime import timedelta

import psycopg2
from psycopg2 import errors as pg_errors
from redis import RedisError

from taskflask.data import exports as data
from taskflask.data.organizations import tenant_schemas
from taskflask.exports.files import export_path, remove_stale_parts

log = logging.getLogger(__name__)
SWEEP_INTERVAL = 2.0  # seconds
# A claim is committed a moment before its worker takes the lock; younger claims are left alone.
CLAIM_GRACE = timedelta(seconds=2)
DEAD = "The worker stopped before finishing; the export was queued again."
HUNG = "The worker did not finish within EXPORT_STUCK_AFTER; the export was queued again."
GIVEN_UP = "The worker stopped before finishing, too many times."
# The tenant's schema was dropped while its export was waiting or running.
TENANT_GONE = (pg_errors.UndefinedTable, pg_errors.InvalidSchemaName)


def sweep(database, queue, stuck_after, max_attempts, enqueue, grace=CLAIM_GRACE):
    """Queue again (or fail) ``queue``'s exports whose worker died or hung, and pending ones whose job was lost.

    Reads only public.active_exports, whatever the number of tenants; visits
    the schema of each export it takes back. Returns (requeued, failed) counts.
    """
    with database.transaction() as cur:
        runs = data.lost_runs(cur, queue, grace, stuck_after)
        waiting = data.requeue_waiting(cur, queue, stuck_after)
    requeued = failed = 0
    for run in runs:
        outcome = _take_back(database, run, max_attempts)
        if outcome == "requeued":
            enqueue(run.schema, run.export_id)  # after the commit, so the job finds the row pending
            requeued += 1
        failed += outcome == "failed"
    for schema, export_id in waiting:
        enqueue(schema, export_id)
    if requeued or failed or waiting:
        log.warning("exports sweep: %d lost attempts re-queued, %d failed, %d waiting exports re-queued",
                    requeued, failed, len(waiting))
    return requeued + len(waiting), failed


def _take_back(database, run, max_attempts):
    """One lost attempt, in its tenant's transaction: "requeued", "failed" or None (left alone)."""
    last = run.attempt >= max_attempts
    try:
        with database.transaction(run.schema) as cur:
            done = data.give_up(cur, run, GIVEN_UP) if last else data.take_back(cur, run, HUNG if run.hung else DEAD)
            if not done:  # it finished meanwhile, or its worker is completing it right now
                data.forget_if_finished(cur, run.export_id)
                return None
            return "failed" if last else "requeued"
    except TENANT_GONE:
        with database.transaction() as cur:
            data.forget_export(cur, run.export_id)
        return None


def expire(database, exports_dir, ttl, stuck_after=None, queue=None):
    """Mark exports older than ``ttl`` expired and delete their files; returns how many.

    Visiting every tenant anyway, it also gives an active export that
    public.active_exports lacks its row back (the sweep sees only that table),
    for the sweepers of ``queue`` (the caller's; None: any),
    and removes temporary files older than ``stuck_after`` that no attempt
    finished (an attempt that completes removes its predecessors' at once).
    """
    with database.transaction(read_only=True) as cur:
        schemas = tenant_schemas(cur)
    expired = 0
    for schema in schemas:
        with database.transaction(schema) as cur:
            ids = data.expire_exports(cur, ttl)
            if data.track_untracked(cur, schema, queue):
                log.warning("tenant %s: active exports missing from public.active_exports were added back", schema)
        for export_id in ids:
            export_path(exports_dir, schema, export_id).unlink(missing_ok=True)
        expired += len(ids)
    if stuck_after is not None:
        remove_stale_parts(exports_dir, stuck_after.total_seconds())
    return expired


class Sweeper(threading.Thread):
    """Runs sweep() every SWEEP_INTERVAL, from the consumer's start until its process ends."""

    def __init__(self, database, queue, stuck_after, max_attempts, enqueue, interval=SWEEP_INTERVAL):
        super().__init__(name="exports-sweeper", daemon=True)
        self.database = database
        self.arguments = (queue, stuck_after, max_attempts, enqueue)
        self.interval = interval
        self.stopped = threading.Event()
        self._waiting_for_migrations = False

    def run(self):
        while True:
            self.sweep_once()
            if self.stopped.wait(self.interval):
                return

    def sweep_once(self):
        """One sweep; a database not migrated yet or unreachable is one log line, not a traceback."""
        try:
            sweep(self.database, *self.arguments)
        except pg_errors.UndefinedTable:
            if not self._waiting_for_migrations:
                log.info("exports sweep: waiting for the database to be migrated")
            self._waiting_for_migrations = True
            return
        except (psycopg2.OperationalError, RedisError) as error:
            log.warning("exports sweep skipped: %s", str(error).strip())
        except Exception:
            log.exception("exports sweep failed")
        self._waiting_for_migrations = False

    def stop(self):
        self.stopped.set()
