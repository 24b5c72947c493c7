"""Logging setup: one line (or JSON object) per record, carrying the tenant of the job it belongs to.

In a job the tenant comes from ``tenant_context(schema)``. The web layer adds
the request id, tenant and user of a request (taskflask/web/request_log.py).
LOG_FORMAT=json turns every log line into one JSON object. This module
imports no Flask: the worker uses it as it is.
"""
import json
import logging
import sys
from contextlib import contextmanager
from contextvars import ContextVar

CONTEXT_FIELDS = ("request_id", "tenant", "user")
job_tenant = ContextVar("job_tenant", default=None)


@contextmanager
def tenant_context(schema):
    """Log lines written inside the block (a job's) carry tenant ``schema``."""
    token = job_tenant.set(schema)
    try:
        yield
    finally:
        job_tenant.reset(token)


def job_context():
    """The tenant of the job running in this context, for log records ({} outside a job)."""
    return {"tenant": job_tenant.get()} if job_tenant.get() else {}


class ContextFilter(logging.Filter):
    """Adds the fields of ``context()`` (request_id, tenant, user, where known) to every record."""

    def __init__(self, context=job_context):
        super().__init__()
        self.context = context

    def filter(self, record):
        for key, value in self.context().items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return True


class JSONFormatter(logging.Formatter):
    """One JSON object per line."""

    def format(self, record):
        line = {"time": self.formatTime(record), "level": record.levelname, "logger": record.name,
                "message": record.getMessage()}
        line.update({key: getattr(record, key) for key in CONTEXT_FIELDS if getattr(record, key, None) is not None})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


class TextFormatter(logging.Formatter):
    """Plain lines, with the request or job context when there is one."""

    def format(self, record):
        text = super().format(record)
        context = " ".join(f"{key}={getattr(record, key)}" for key in CONTEXT_FIELDS if getattr(record, key, None))
        return f"{text} [{context}]" if context else text


def configure_logging(log_format="text", level="INFO", context=job_context):
    """Send taskflask's logs to stderr in the chosen format, each record with ``context()``'s fields."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(ContextFilter(context))
    handler.setFormatter(JSONFormatter() if log_format == "json"
                         else TextFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("taskflask")
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False
