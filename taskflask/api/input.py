"""Reading request bodies and query strings through marshmallow schemas."""
import json

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
    """The query string loaded through ``schema``."""
    return schema.load(request.args.to_dict())
