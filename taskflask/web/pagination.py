"""Opaque keyset cursors over (created_at, id)."""
import base64
import binascii
import uuid
from datetime import datetime, timedelta, timezone

from marshmallow import ValidationError

# PostgreSQL's widest UTC offset; Python accepts up to 24 hours.
MAX_OFFSET = timedelta(hours=15, minutes=59, seconds=59)


def encode_cursor(created_at, row_id):
    """The cursor that continues after the row (created_at, row_id)."""
    raw = f"{created_at.isoformat()}|{row_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor):
    """(created_at in UTC, id) from a cursor; ValidationError when it was not made by encode_cursor.

    Checked here rather than by PostgreSQL: an offset beyond +-15:59, which Python accepts, and a
    moment outside years 1-9999 once in UTC are refused; the time goes to SQL in UTC.
    """
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        created_at, row_id = base64.urlsafe_b64decode(padded).decode().split("|")
        moment = datetime.fromisoformat(created_at)
        if moment.tzinfo is None or abs(moment.utcoffset()) > MAX_OFFSET:
            raise ValueError("cursor time without a zone PostgreSQL knows")
        return moment.astimezone(timezone.utc), str(uuid.UUID(row_id))
    except (ValueError, OverflowError, binascii.Error, UnicodeDecodeError):
        raise ValidationError({"cursor": ["Not a valid cursor."]}) from None
