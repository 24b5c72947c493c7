"""The export job, the consumer's exports sweeper and the hourly expiry, as Huey tasks.

The consumer imports this module without a Flask app, so settings come from
taskflask.settings. A job takes only the tenant's schema and the export id,
and opens its own database connections.
"""
import logging
import os
import threading

from huey import crontab, signals
from huey.utils import normalize_time
from psycopg2 import errors as pg_errors

from taskflask.data.exports import forget_export, release_export
from taskflask.db import Database, RecyclePolicy, database
from taskflask.exports import upkeep
from taskflask.exports.files import remove_export_file
from taskflask.exports.writer import run_export
from taskflask.logs import configure_logging, tenant_context
from taskflask.queue import huey
from taskflask.settings import settings

log = logging.getLogger(__name__)
INTERRUPTED_REQUEUE_DELAY = 5  # seconds
_startup_lock = threading.Lock()
_started_in_pid = None


@huey.on_startup()
def start_consumer_process():
    """Once per consumer process: logging, the database pool, and the exports sweeper.

    Huey calls its startup hooks in every worker (each thread or greenlet of one
    process, or each forked process); a second configure() would replace the
    pool under a running export.
    """
    global _started_in_pid
    with _startup_lock:
        if _started_in_pid == os.getpid():
            return
        configure_logging(settings.LOG_FORMAT, settings.LOG_LEVEL)
        database.configure(settings.DATABASE_URL, maxsize=settings.DB_POOL_MAX,
                           recycle=RecyclePolicy(settings.DB_CONNECTION_MAX_SCHEMAS, settings.DB_CONNECTION_LIFETIME))
        # Its own connection: busy export workers never delay the sweep.
        sweeper_database = Database()
        sweeper_database.configure(settings.DATABASE_URL, maxsize=1)
        upkeep.Sweeper(sweeper_database, huey.name, settings.EXPORT_STUCK_AFTER, settings.EXPORT_MAX_ATTEMPTS,
                       enqueue_export).start()
        _started_in_pid = os.getpid()
    log.info("consumer process %d: database pool of %d connections, exports sweep every %g s",
             os.getpid(), settings.DB_POOL_MAX, upkeep.SWEEP_INTERVAL)


@huey.task(retries=settings.EXPORT_MAX_ATTEMPTS - 1, retry_delay=10, context=True)
def export_tasks_csv(schema, export_id, task=None):
    """Write the CSV of export ``export_id`` in tenant ``schema``."""
    with tenant_context(schema):
        try:
            run_export(database, settings.EXPORTS_DIR, schema, export_id,
                       final_attempt=task is None or task.retries == 0, max_attempts=settings.EXPORT_MAX_ATTEMPTS)
        except upkeep.TENANT_GONE:
            # The tenant was deleted after the job was queued (or while it ran): nothing to keep.
            log.warning("export %s skipped: schema %s no longer exists", export_id, schema)
            remove_export_file(settings.EXPORTS_DIR, schema, export_id)
            with database.transaction() as cur:
                forget_export(cur, export_id)


def enqueue_export(schema, export_id):
    """Queue the export job; returns the job id. Raises RedisError when Redis is unreachable."""
    job = export_tasks_csv.s(schema, str(export_id))
    huey.enqueue(job)
    return job.id


@huey.signal(signals.SIGNAL_INTERRUPTED)
def requeue_interrupted_export(signal, task, *args, **kwargs):
    """The consumer was stopped with SIGTERM mid-export: put the export back on the queue."""
    if not isinstance(task, export_tasks_csv.task_class):
        return
    schema, export_id = task.args
    with database.transaction(schema) as cur:
        release_export(cur, export_id, "The worker was stopped; the export was queued again.")
    # Put on the schedule for a little later, not on the queue: this consumer's idle
    # threads are still listening and would take the job just before the process exits.
    job = export_tasks_csv.s(schema, export_id)
    job.eta = normalize_time(delay=INTERRUPTED_REQUEUE_DELAY, utc=huey.utc)
    huey.add_schedule(job)
    log.warning("export %s of %s interrupted by shutdown; queued again", export_id, schema)


@huey.periodic_task(crontab(minute="17"))
def expire_old_exports():
    """Every hour: files older than EXPORT_TTL removed, their exports expired (see upkeep.expire)."""
    try:
        upkeep.expire(database, settings.EXPORTS_DIR, settings.EXPORT_TTL, settings.EXPORT_STUCK_AFTER, queue=huey.name)
    except pg_errors.UndefinedTable:
        log.info("export expiry skipped: the database is not migrated yet")
