"""Opaque keyset cursors over (created_at, id)."""
import base64
import binascii
import uuid
from datetime import datetime

from marshmallow import ValidationError


def encode_cursor(created_at, row_id):
    """The cursor that continues after the row (created_at, row_id)."""
    raw = f"{created_at.isoformat()}|{row_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor):
    """(created_at, id) from a cursor; ValidationError when it was not made by encode_cursor."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        created_at, row_id = base64.urlsafe_b64decode(padded).decode().split("|")
        moment = datetime.fromisoformat(created_at)
        if moment.tzinfo is None:
            raise ValueError("cursor time without zone")
        return moment, str(uuid.UUID(row_id))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ValidationError({"cursor": ["Not a valid cursor."]}) from None
