"""JSON responses: ISO 8601 UTC timestamps like the original API, keys in SQL order."""
import uuid
from datetime import datetime, timezone

from flask import Response
from flask.json.provider import DefaultJSONProvider


def iso_utc(moment):
    """2026-11-29T14:51:39.123Z: JavaScript's Date.toJSON format."""
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def to_json(value):
    """Encode what the json module does not know."""
    if isinstance(value, datetime):
        return iso_utc(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    return DefaultJSONProvider.default(value)


class ApiJSONProvider(DefaultJSONProvider):
    """Flask's provider with our timestamp format and no key sorting."""

    sort_keys = False
    default = staticmethod(to_json)


def json_array_response(encoded_items, headers=None):
    """A JSON array response made of items that are already JSON text (built by PostgreSQL)."""
    return Response("[" + ",".join(encoded_items) + "]", headers=headers, mimetype="application/json")
