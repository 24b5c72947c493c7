"""The Huey job that drops a deleted organization's schema and export files, outside any request.

``DELETE /organizations/<id>`` only unregisters the organization (404 from
then on) and queues its schema in ``public.schema_drops``; dropping a large
schema may take longer than gunicorn lets a request live. A drop this job
never ran (Redis was down) or left halfway is finished by
``flask --app wsgi tenants purge``.
"""
import logging

from taskflask.db import database
from taskflask.logs import tenant_context
from taskflask.queue import huey
from taskflask.settings import settings
from taskflask.tenants.deletion import purge_schema

log = logging.getLogger(__name__)


@huey.task(retries=2, retry_delay=30)
def drop_deleted_schema(schema):
    """Drop the tables, export files and schema of the deleted organization that had ``schema``."""
    with tenant_context(schema):
        if purge_schema(database, settings.EXPORTS_DIR, schema, citus=settings.CITUS):
            log.info("deleted organization's schema %s dropped", schema)


def enqueue_schema_drop(schema):
    """Queue the drop of ``schema``. Raises RedisError when Redis is unreachable."""
    huey.enqueue(drop_deleted_schema.s(schema))
