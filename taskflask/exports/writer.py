"""An export's CSV: COPY streamed into a temporary file, fsynced, then renamed into place.

A reader therefore sees either no file or the whole file, and the worker's
memory stays flat however many rows the tenant has. The transaction that
streams the COPY holds the attempt's advisory lock, so the export is free for
another worker the moment this one's connection dies.
"""
import logging
import os

from taskflask.data.exports import (
    claim_export,
    complete_export,
    copy_csv,
    fail_export,
    forget_if_finished,
    release_export,
    start_attempt,
)
from taskflask.exports.files import export_path, remove_other_parts, temporary_path
from taskflask.failures import describe

log = logging.getLogger(__name__)
# COPY hands over one row per write(): a large buffer turns 1M rows into ~270 write
# syscalls instead of ~33,000 with the default 8 KiB.
WRITE_BUFFER = 1024 * 1024


def fsync_directory(directory):
    """Make a rename inside ``directory`` durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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
