"""The Huey instance and the export job.

Settings come from the environment (see config.py) because the consumer
imports this module without a Flask app. A job takes only the tenant's
schema and the export id, and opens its own database connections.
"""
import logging

from huey import RedisHuey
from redis import ConnectionPool
from redis.backoff import ExponentialBackoff
from redis.retry import Retry
from psycopg2 import errors as pg_errors

from taskflask.config import Config
from taskflask.db import database
from taskflask.exporter import run_export

log = logging.getLogger(__name__)
config = Config()



def redis_pool(url):
    """Short timeouts and retries: an unreachable Redis fails a request fast (503), not hangs it."""
    return ConnectionPool.from_url(url, socket_connect_timeout=2, socket_timeout=10,
                                   retry=Retry(ExponentialBackoff(cap=0.2, base=0.05), retries=2))


huey = RedisHuey(
    config.HUEY_NAME,
    results=False,  # outcomes live in the exports table, not in Redis
    connection_pool=redis_pool(config.REDIS_URL),
)


@huey.on_startup()
def connect_database():
    """Each consumer process gets its own pool."""
    database.configure(config.DATABASE_URL, maxsize=config.DB_POOL_MAX)


@huey.task(retries=2, retry_delay=10, context=True)
def export_tasks_csv(schema, export_id, task=None):
    """Write the CSV of export ``export_id`` in tenant ``schema``."""
    try:
        run_export(database, config.EXPORTS_DIR, schema, export_id,
                   final_attempt=task is None or task.retries == 0)
    except pg_errors.UndefinedTable:
        # The tenant was deleted after the job was queued: nothing left to export.
        log.warning("export %s skipped: schema %s no longer exists", export_id, schema)


def enqueue_export(schema, export_id):
    """Queue the export job; returns the job id. Raises RedisError when Redis is unreachable."""
    job = export_tasks_csv.s(schema, str(export_id))
    huey.enqueue(job)
    return job.id
