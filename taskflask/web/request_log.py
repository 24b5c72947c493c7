"""Request ids, and log records that name the request, tenant and user they belong to."""
import re
import uuid

from flask import g, has_request_context, request

from taskflask.logs import configure_logging, job_context

REQUEST_ID_HEADER = "X-Request-ID"
# A caller's request id is kept only when it is short and plain, so logs stay clean.
ACCEPTABLE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def request_context():
    """Request id, tenant and user of the current request (or the job's tenant), for log records."""
    if not has_request_context():
        return job_context()
    tenant = g.get("tenant")
    user = g.get("user")
    return {
        "request_id": g.get("request_id"),
        "tenant": tenant.schema if tenant else None,
        "user": user.id if user else None,
    }


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
    """Log in the app's LOG_FORMAT with the request's context, and give every request an id."""
    configure_logging(app.config["LOG_FORMAT"], app.config["LOG_LEVEL"], context=request_context)
    app.before_request(assign_request_id)
    app.after_request(echo_request_id)
