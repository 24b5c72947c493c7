"""One JSON error format for every 4xx and 5xx: {"error", "message"[, "errors"]}."""
import logging

import psycopg2
import redis
from flask import jsonify
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error answered to the client as JSON with its status code."""

    def __init__(self, status, code, message, errors=None, headers=None, extra=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors
        self.headers = headers or {}
        self.extra = extra or {}


def describe(error, limit=500):
    """A one-line reason to store beside a failed job or migration: its type and first line."""
    first_line = (str(error).strip().splitlines() or [""])[0]
    return f"{type(error).__name__}: {first_line}"[:limit]


def not_found(what):
    """404 for a missing ``what`` ("task", "export", ...)."""
    return ApiError(404, "not_found", f"{what.capitalize()} not found.")


def error_response(status, code, message, errors=None, headers=None, extra=None):
    """The JSON response every error goes through (``extra``: fields that help the client act)."""
    body = {"error": code, "message": message, **(extra or {})}
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.headers.update(headers or {})
    return response


# Codes and sentences for the HTTP errors that Flask and Werkzeug raise themselves.
HTTP_ERRORS = {
    400: ("bad_request", "The request could not be understood."),
    404: ("not_found", "No such resource."),
    405: ("method_not_allowed", "This method is not allowed on this resource."),
    408: ("request_timeout", "The request did not arrive in time."),
    413: ("payload_too_large", "The request body is larger than 1 MiB."),
    415: ("unsupported_media_type", "Send the body as JSON with Content-Type: application/json."),
    429: ("too_many_requests", "Too many requests; try again shortly."),
    431: ("headers_too_large", "The request headers are too large."),
}

DATABASE_DOWN = (psycopg2.OperationalError, psycopg2.InterfaceError)


def handle_api_error(error):
    """ApiError -> its JSON."""
    return error_response(error.status, error.code, error.message, error.errors, error.headers, error.extra)


def handle_validation_error(error):
    """marshmallow ValidationError -> 400 with the messages per field."""
    messages = error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
    return error_response(400, "validation_error", "The request has invalid fields.", messages)


def handle_http_exception(error):
    """Werkzeug's HTTP errors (404, 405, 413, ...) -> JSON instead of HTML."""
    if isinstance(error, InternalServerError):
        return handle_unexpected(error.original_exception or error)
    code, message = HTTP_ERRORS.get(error.code, (error.name.lower().replace(" ", "_"), error.description))
    response = error_response(error.code, code, message)
    if error.code == 405 and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def handle_unexpected(error):
    """Anything else: 503 when a backing service is down, otherwise a logged 500."""
    if isinstance(error, DATABASE_DOWN):
        log.warning("database unavailable: %s", error)
        return error_response(503, "database_unavailable",
                              "The database is unavailable; try again shortly.",
                              headers={"Retry-After": "5"})
    if isinstance(error, redis.RedisError):
        log.warning("redis unavailable: %s", error)
        return error_response(503, "queue_unavailable",
                              "The job queue is unavailable; try again shortly.",
                              headers={"Retry-After": "5"})
    log.exception("unhandled error", exc_info=error)
    return error_response(500, "internal_error", "Something went wrong on our side.")


def init_app(app):
    """Route every error through the JSON format."""
    app.register_error_handler(ApiError, handle_api_error)
    app.register_error_handler(ValidationError, handle_validation_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
