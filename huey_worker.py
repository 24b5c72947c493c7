"""Huey consumer entry point: ``huey_consumer huey_worker.huey``."""
from taskflask.jobs import huey, export_tasks_csv  # noqa: F401  (registers the tasks)
