"""Huey consumer entry point: ``huey_consumer huey_worker.huey``."""
from taskflask.exports.jobs import export_tasks_csv, huey  # noqa: F401  (registers the tasks)
