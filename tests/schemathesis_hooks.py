"""Schemathesis hooks (SCHEMATHESIS_HOOKS=schemathesis_hooks): what a valid value of our own formats looks like."""
from datetime import timezone

import schemathesis
from hypothesis import strategies as st

from taskflask.web.pagination import encode_cursor

# A cursor is opaque: only the server makes valid ones (the document names the format "cursor").
schemathesis.openapi.format("cursor", st.builds(
    encode_cursor, st.datetimes(timezones=st.just(timezone.utc)), st.uuids()))
