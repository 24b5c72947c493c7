"""Request ids, and log lines that say which request, tenant and user they belong to.

In a job the tenant comes from ``tenant_context(schema)``. LOG_FORMAT=json
turns every log line into one JSON object. The one line per request is
gunicorn's access log (see taskflask/serving/gunicorn_logging.py).
"""
import json
import logging
import re
import sys
import uuid
from contextlib import contextmanager
from contextvars import ContextVar

from flask import g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-ID"
# A caller's request id is kept only when it is short and plain, so logs stay clean.
ACCEPTABLE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
job_tenant = ContextVar("job_tenant", default=None)


@contextmanager
def tenant_context(schema):
    """Log lines written inside the block (a job's) carry tenant ``schema``."""
    token = job_tenant.set(schema)
    try:
        yield
    finally:
        job_tenant.reset(token)


def request_context():
    """Request id, tenant and user of the current request (or the job's tenant), for log records."""
    if not has_request_context():
        return {"tenant": job_tenant.get()} if job_tenant.get() else {}
    tenant = g.get("tenant")
    user = g.get("user")
    return {
        "request_id": g.get("request_id"),
        "tenant": tenant.schema if tenant else None,
        "user": user.id if user else None,
    }


class ContextFilter(logging.Filter):
    """Adds request_id, tenant and user (or None) to every record."""

    def filter(self, record):
        for key, value in request_context().items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return True


class JSONFormatter(logging.Formatter):
    """One JSON object per line."""

    FIELDS = ("request_id", "tenant", "user")

    def format(self, record):
        line = {"time": self.formatTime(record), "level": record.levelname, "logger": record.name,
                "message": record.getMessage()}
        line.update({key: getattr(record, key) for key in self.FIELDS if getattr(record, key, None) is not None})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


class TextFormatter(logging.Formatter):
    """Plain lines, with the request context when there is one."""

    def format(self, record):
        text = super().format(record)
        context = " ".join(f"{key}={getattr(record, key)}" for key in ("request_id", "tenant", "user")
                           if getattr(record, key, None))
        return f"{text} [{context}]" if context else text


def configure_logging(log_format="text", level="INFO"):
    """Send taskflask's logs to stderr in the chosen format."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(ContextFilter())
    handler.setFormatter(JSONFormatter() if log_format == "json"
                         else TextFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("taskflask")
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False


def assign_request_id():
    """before_request: adopt the caller's request id or make one."""
    given = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = given if ACCEPTABLE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


def echo_request_id(response):
    """after_request: the response names its request id (the access log reads it from there)."""
    if "request_id" in g:
        response.headers[REQUEST_ID_HEADER] = g.request_id
    return response


def init_app(app):
    configure_logging(app.config["LOG_FORMAT"], app.config["LOG_LEVEL"])
    app.before_request(assign_request_id)
    app.after_request(echo_request_id)
