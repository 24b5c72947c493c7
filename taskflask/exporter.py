"""An export's CSV: COPY streamed into a temporary file, fsynced, then renamed into place.

A reader therefore sees either no file or the whole file, and the worker's
memory stays flat however many rows the tenant has.
"""
import logging
import os
import time
import uuid
from pathlib import Path

from taskflask import queries
from taskflask.data.exports import claim_export, complete_export, fail_export, release_export
from taskflask.errors import describe
from taskflask.schema_names import is_valid_schema_name

log = logging.getLogger(__name__)
Q = queries.load("exports")
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


def temporary_path(path):
    """Where this process writes ``path`` before renaming it into place."""
    return path.with_name(f".{path.stem}.{os.getpid()}.part")


def write_csv(database, schema, path):
    """Write every task of ``schema`` to ``path`` atomically; returns the row count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = temporary_path(path)
    try:
        with open(temporary, "wb", buffering=WRITE_BUFFER) as out, \
                database.transaction(schema, read_only=True) as cur:
            cur.execute("SET LOCAL TimeZone TO 'UTC'")
            cur.copy_expert(Q.copy_csv, out)
            row_count = cur.rowcount
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
        fsync_directory(path.parent)
    finally:
        temporary.unlink(missing_ok=True)
    return row_count


def run_export(database, exports_dir, schema, export_id, final_attempt=True, max_attempts=None):
    """Claim a pending export, write its file and record the outcome.

    Returns the new status, or None when the export was not pending (another
    worker has it, or it is finished). A failure that will be retried puts the
    export back to pending; the last one (by the job's retries or the
    export's attempt count) marks it failed.
    """
    with database.transaction(schema) as cur:
        attempt = claim_export(cur, export_id)
    if attempt is None:
        return None
    final_attempt = final_attempt or (max_attempts is not None and attempt >= max_attempts)
    try:
        row_count = write_csv(database, schema, export_path(exports_dir, schema, export_id))
    except Exception as error:
        log.warning("export %s of %s failed (attempt %d): %s", export_id, schema, attempt, error)
        with database.transaction(schema) as cur:
            if final_attempt:
                fail_export(cur, export_id, describe(error), attempt)
            else:
                release_export(cur, export_id, describe(error), attempt)
        raise
    with database.transaction(schema) as cur:
        complete_export(cur, export_id, attempt, row_count)
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
