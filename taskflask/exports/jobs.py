"""The Huey instance, the export job, the consumer's exports sweeper and the hourly expiry.

Settings come from the environment (see config.py) because the consumer
imports this module without a Flask app. A job takes only the tenant's
schema and the export id, and opens its own database connections.
"""
import logging
import os
import threading

from huey import RedisHuey, crontab, signals
from huey.utils import normalize_time
from psycopg2 import errors as pg_errors
from redis import ConnectionPool
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from taskflask.data.exports import forget_export, release_export
from taskflask.db import Database, database
from taskflask.exports import upkeep
from taskflask.exports.writer import remove_export_file, run_export
from taskflask.logs import configure_logging, tenant_context
from taskflask.settings import Config

log = logging.getLogger(__name__)
config = Config()
INTERRUPTED_REQUEUE_DELAY = 5  # seconds


def redis_pool(url):
    """Short timeouts and retries: an unreachable Redis fails a request fast (503), not hangs it."""
    return ConnectionPool.from_url(url, socket_connect_timeout=2, socket_timeout=10,
                                   retry=Retry(ExponentialBackoff(cap=0.2, base=0.05), retries=2))


huey = RedisHuey(
    config.HUEY_NAME,
    results=False,  # outcomes live in the exports table, not in Redis
    connection_pool=redis_pool(config.REDIS_URL),
)


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
        configure_logging(config.LOG_FORMAT, config.LOG_LEVEL)
        database.configure(config.DATABASE_URL, maxsize=config.DB_POOL_MAX)
        # Its own connection: busy export workers never delay the sweep.
        sweeper_database = Database()
        sweeper_database.configure(config.DATABASE_URL, maxsize=1)
        upkeep.Sweeper(sweeper_database, huey.name, config.EXPORT_STUCK_AFTER, config.EXPORT_MAX_ATTEMPTS,
                            enqueue_export).start()
        _started_in_pid = os.getpid()
    log.info("consumer process %d: database pool of %d connections, exports sweep every %g s",
             os.getpid(), config.DB_POOL_MAX, upkeep.SWEEP_INTERVAL)


@huey.task(retries=config.EXPORT_MAX_ATTEMPTS - 1, retry_delay=10, context=True)
def export_tasks_csv(schema, export_id, task=None):
    """Write the CSV of export ``export_id`` in tenant ``schema``."""
    with tenant_context(schema):
        try:
            run_export(database, config.EXPORTS_DIR, schema, export_id,
                       final_attempt=task is None or task.retries == 0, max_attempts=config.EXPORT_MAX_ATTEMPTS)
        except upkeep.TENANT_GONE:
            # The tenant was deleted after the job was queued (or while it ran): nothing to keep.
            log.warning("export %s skipped: schema %s no longer exists", export_id, schema)
            remove_export_file(config.EXPORTS_DIR, schema, export_id)
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
        upkeep.expire(database, config.EXPORTS_DIR, config.EXPORT_TTL, config.EXPORT_STUCK_AFTER)
    except pg_errors.UndefinedTable:
        log.info("export expiry skipped: the database is not migrated yet")
