"""Periodic upkeep of exports across all tenants: re-queue lost work, expire old files.

Huey has no acknowledgements: a worker killed mid-export leaves its export in
``processing`` and a temporary file behind. The reaper finds those after
EXPORT_STUCK_AFTER and queues them again (or fails them after
EXPORT_MAX_ATTEMPTS); the expiry removes files older than EXPORT_TTL.
"""
import logging

from taskflask.data.exports import expire_exports, reap_exports
from taskflask.exporter import export_path, remove_stale_parts
from taskflask.migrations import tenant_schemas

log = logging.getLogger(__name__)


def reap(database, exports_dir, stuck_after, max_attempts, enqueue):
    """Queue again or fail stuck exports in every tenant; returns (requeued, failed) counts."""
    with database.transaction(read_only=True) as cur:
        schemas = tenant_schemas(cur)
    requeued = failed = 0
    for schema in schemas:
        with database.transaction(schema) as cur:
            again, given_up = reap_exports(cur, stuck_after, max_attempts)
        for export_id in again:  # after the commit, so the job finds the row pending
            enqueue(schema, export_id)
        if again or given_up:
            log.warning("tenant %s: re-queued %d stuck exports, failed %d", schema, len(again), len(given_up))
        requeued += len(again)
        failed += len(given_up)
    remove_stale_parts(exports_dir, stuck_after.total_seconds())
    return requeued, failed


def expire(database, exports_dir, ttl):
    """Mark exports older than ``ttl`` expired and delete their files; returns how many."""
    with database.transaction(read_only=True) as cur:
        schemas = tenant_schemas(cur)
    expired = 0
    for schema in schemas:
        with database.transaction(schema) as cur:
            ids = expire_exports(cur, ttl)
        for export_id in ids:
            export_path(exports_dir, schema, export_id).unlink(missing_ok=True)
        expired += len(ids)
    return expired
