"""Reading request bodies and query strings through marshmallow schemas."""
import json
from functools import lru_cache

from flask import request

from taskflask.errors import ApiError


def json_body(schema):
    """The JSON body loaded through ``schema``; an empty body counts as ``{}``.

    Werkzeug raises 413 while reading a body over MAX_CONTENT_LENGTH.
    """
    raw = request.get_data(cache=True)
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
