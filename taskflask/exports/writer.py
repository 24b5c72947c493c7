"""An export's CSV: COPY streamed into a temporary file, fsynced, then renamed into place.

A reader therefore sees either no file or the whole file, and the worker's
memory stays flat however many rows the tenant has. The transaction that
streams the COPY holds the attempt's advisory lock, so the export is free for
another worker the moment this one's connection dies.
"""
import logging
import os
import time
import uuid
from pathlib import Path

from taskflask.data.exports import (
    claim_export,
    complete_export,
    copy_csv,
    fail_export,
    forget_if_finished,
    release_export,
    start_attempt,
)
from taskflask.tenants.names import is_valid_schema_name
from taskflask.web.errors import describe

log = logging.getLogger(__name__)
# COPY hands over one row per write(): a large buffer turns 1M rows into ~270 write
# syscalls instead of ~33,000 with the default 8 KiB.
WRITE_BUFFER = 1024 * 1024


def exports_folder(exports_dir, schema):
    """The folder of a tenant's export files: derived from the validated schema name only."""
    if not is_valid_schema_name(schema):
        raise ValueError(f"not a tenant schema name: {schema!r}")
    return Path(exports_dir) / schema


def export_path(exports_dir, schema, export_id):
    """Where an export's CSV lives: derived from the validated schema and export id only."""
    return exports_folder(exports_dir, schema) / f"{uuid.UUID(str(export_id))}.csv"


def remove_export_file(exports_dir, schema, export_id):
    """Remove an export's file, and the tenant's folder if that leaves it empty."""
    path = export_path(exports_dir, schema, export_id)
    path.unlink(missing_ok=True)
    try:
        path.parent.rmdir()
    except OSError:
        pass  # other files are still there, or the folder is already gone


def fsync_directory(directory):
    """Make a rename inside ``directory`` durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temporary_path(path, attempt):
    """Where an attempt writes ``path`` before renaming it into place (each attempt its own)."""
    return path.with_name(f".{path.stem}.{attempt}.part")


def remove_other_parts(path):
    """Delete what earlier attempts at ``path`` left behind (their workers died or were taken back)."""
    for part in path.parent.glob(f".{path.stem}.*.part"):
        part.unlink(missing_ok=True)


def write_export(database, conn, exports_dir, schema, export_id, claim):
    """Write the claimed export's CSV atomically and complete it; returns the row count.

    One transaction on ``conn`` takes the attempt's lock, streams the COPY into
    a temporary file and records the outcome, so the lock is held until the
    export is completed and dies with the worker. Returns None, leaving no
    file, when the attempt was taken back meanwhile.
    """
    path = export_path(exports_dir, schema, export_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = temporary_path(path, claim.attempt)
    try:
        with open(temporary, "wb", buffering=WRITE_BUFFER) as out, \
                database.transaction_on(conn, schema) as cur:
            if not start_attempt(cur, export_id, claim):
                return None
            row_count = copy_csv(cur, out)
            out.flush()
            os.fsync(out.fileno())
            # Completed before the rename: that locks the export's row, so a stale
            # attempt stops here and no newer one can be started until this commits.
            if not complete_export(cur, export_id, claim.attempt, row_count):
                return None
            os.replace(temporary, path)
            fsync_directory(path.parent)
        remove_other_parts(path)
    finally:
        temporary.unlink(missing_ok=True)
    return row_count


def run_export(database, exports_dir, schema, export_id, final_attempt=True, max_attempts=None):
    """Claim a pending export, write its file and record the outcome.

    Returns the new status, or None when the export was not pending (another
    worker has it, or it is finished) or this attempt was taken back. A
    failure that will be retried puts the export back to pending; the last one
    (by the job's retries or the export's attempt count) marks it failed.
    """
    claim = None
    try:
        with database.connection() as conn:  # the claim and the COPY on one connection: no wait between
            with database.transaction_on(conn, schema) as cur:
                claim = claim_export(cur, schema, export_id)
                if claim is None:
                    forget_if_finished(cur, export_id)
            if claim is None:
                return None
            row_count = write_export(database, conn, exports_dir, schema, export_id, claim)
    except Exception as error:
        if claim is None:
            raise
        log.warning("export %s of %s failed (attempt %d): %s", export_id, schema, claim.attempt, error)
        with database.transaction(schema) as cur:
            if final_attempt or (max_attempts is not None and claim.attempt >= max_attempts):
                fail_export(cur, export_id, describe(error), claim.attempt)
            else:
                release_export(cur, export_id, describe(error), claim.attempt)
        raise
    if row_count is None:
        log.warning("export %s of %s: attempt %d was taken back; its work is discarded",
                    export_id, schema, claim.attempt)
        return None
    log.info("export %s of %s completed: %d rows", export_id, schema, row_count)
    return "completed"


def remove_stale_parts(exports_dir, older_than_seconds):
    """Delete temporary files left by workers that died mid-export; returns how many."""
    cutoff = time.time() - older_than_seconds
    removed = 0
    for part in Path(exports_dir).glob("*/.*.part"):
        try:
            if part.stat().st_mtime < cutoff:
                part.unlink()
                removed += 1
        except FileNotFoundError:
            pass  # its worker finished (renamed it) or another sweep took it
    return removed
