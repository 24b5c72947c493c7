"""Reading request bodies and query strings through marshmallow schemas."""
import json
from functools import lru_cache
from urllib.parse import unquote_to_bytes

from flask import current_app, request
from marshmallow import ValidationError
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
            if not environ.get("CONTENT_LENGTH") and not is_chunked(environ):
                body = b""  # nothing was sent (a GET): no stream to wrap and read
            elif environ.get("wsgi.input_terminated"):
                body = environ["wsgi.input"].read(limit + 1)
                if len(body) > limit:
                    raise RequestEntityTooLarge()
            else:
                body = request.get_data(cache=True)
        except TimeoutError:
            raise ApiError(408, "request_timeout", "The request body did not arrive in time.") from None
        environ[BODY_KEY] = body
    return environ[BODY_KEY]


def is_chunked(environ):
    return "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()


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
    return dict(load_query(schema, request.query_string))


def refuse_undecodable(raw_query):
    """400 naming each query parameter whose value is not UTF-8 text."""
    bad = {}
    for pair in raw_query.split(b"&"):
        name, _, value = pair.partition(b"=")
        try:
            unquote_to_bytes(value.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            bad[unquote_to_bytes(name).decode("utf-8", "replace")] = [
                "Must be valid Unicode text (UTF-8, no unpaired surrogates)."]
    if bad:
        raise ValidationError(bad)


@lru_cache(maxsize=1024)
def load_query(schema, raw_query):
    """The current request's query string (``raw_query``) loaded through ``schema``, remembered.

    Clients ask the same few queries again and again, and parsing and marshmallow's load were
    a fifth of a tenant request's own Python time. Keyed by the raw bytes, so a query asked
    before is neither parsed nor loaded again; only a miss reads ``request.args``, which is
    then this very query. A query that fails validation raises, and is not remembered.
    """
    items = request.args.to_dict()
    # Werkzeug keeps the escapes of bytes that are not UTF-8 as text (an encoded lone surrogate,
    # %ED%A0%80, reads as the 9 characters "%ED%A0%80") or replaces them by U+FFFD; a search
    # would then look for what nobody typed. Only a value holding "%" or U+FFFD can be one.
    if any("%" in value or "\ufffd" in value for value in items.values()):
        refuse_undecodable(raw_query)
    return schema.load(items)
