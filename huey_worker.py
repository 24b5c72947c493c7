"""Huey consumer entry point: ``huey_consumer huey_worker.huey``."""
from taskflask.exports import jobs  # noqa: F401  (registers the export tasks on the queue)
from taskflask.queue import huey  # noqa: F401
from taskflask.tenants import jobs as tenant_jobs  # noqa: F401  (registers the schema drop)
