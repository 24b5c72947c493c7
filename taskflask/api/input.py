"""Reading request bodies and query strings through marshmallow schemas."""
import json
from functools import lru_cache

from flask import current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from taskflask.web.errors import ApiError

BODY_KEY = "taskflask.body"


def request_body():
    """The whole body, read once: 413 beyond MAX_CONTENT_LENGTH, 408 when the client is too slow.

    A server that ends the stream itself (gunicorn: the Content-Length, or the last chunk of a
    chunked body, which has no length to check up front) is read directly, up to one byte past
    the limit; Werkzeug's own wrapper would report a read that timed out as a disconnect (400).
    gunicorn.conf.py's worker bounds how long reads wait: then 408.
    """
    environ = request.environ
    if BODY_KEY not in environ:
        limit = current_app.config["MAX_CONTENT_LENGTH"]
        if (request.content_length or 0) > limit:
            raise RequestEntityTooLarge()
        try:
            if environ.get("wsgi.input_terminated"):
                body = environ["wsgi.input"].read(limit + 1)
                if len(body) > limit:
                    raise RequestEntityTooLarge()
            else:
                body = request.get_data(cache=True)
        except TimeoutError:
            raise ApiError(408, "request_timeout", "The request body did not arrive in time.") from None
        environ[BODY_KEY] = body
    return environ[BODY_KEY]


def json_body(schema):
    """The JSON body loaded through ``schema``; an empty body counts as ``{}``."""
    raw = request_body()
    if not raw.strip():
        return schema.load({})
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type",
                       "Send the body as JSON with Content-Type: application/json.")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise ApiError(400, "invalid_json", "The request body is not valid JSON.") from None
    return schema.load(data)


def query_args(schema):
    """The query string loaded through ``schema`` (a fresh dict the caller may change)."""
    return dict(load_query(schema, tuple(request.args.to_dict().items())))


@lru_cache(maxsize=1024)
def load_query(schema, items):
    """``schema.load`` of query parameters, remembered: clients ask the same few queries again
    and again, and marshmallow's load was a fifth of a tenant request's own Python time.
    A query that fails validation raises, and is not remembered."""
    return schema.load(dict(items))
