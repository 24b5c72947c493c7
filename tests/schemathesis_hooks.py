"""Schemathesis hooks (SCHEMATHESIS_HOOKS=schemathesis_hooks): what a valid value of our own formats looks like."""
from datetime import timezone

import schemathesis
from hypothesis import strategies as st

from taskflask.web.pagination import encode_cursor, encode_name_cursor

# A cursor is opaque: only the server makes valid ones (the document names the format "cursor").
schemathesis.openapi.format("cursor", st.builds(
    encode_cursor, st.datetimes(timezones=st.just(timezone.utc)), st.uuids()))
# The organization search's cursor: the last item's name (text PostgreSQL can store) and id.
schemathesis.openapi.format("name-cursor", st.builds(
    encode_name_cursor, st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                                max_size=200), st.uuids()))
