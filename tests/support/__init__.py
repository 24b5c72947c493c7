"""Helpers the tests share: this run's environment, tenants, jobs, processes, Citus nodes.

Importing any of them imports ``support.environment`` first, which points the
environment at this run's own database, queue and export folder before
taskflask is imported (taskflask reads its settings at import time).
"""
from support import environment  # noqa: F401 (sets the environment; must run before taskflask is imported)
