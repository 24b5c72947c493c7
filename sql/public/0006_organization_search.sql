-- The organization picker searches the registry by any part of a name or
-- schema name, case-insensitively (ILIKE '%...%'), and pages it by name. At
-- 10,000 organizations a sequential scan and sort per keystroke is too slow:
-- trigram indexes serve the search, and (lower(name), id) the name order and
-- its keyset cursor. pg_trgm is a trusted extension: the database's owner may
-- create it. On Citus the extension and the indexes reach every node's copy
-- of the reference table. Without fastupdate a new row goes into the index at
-- once: a pending list (what fastupdate keeps until a vacuum) is read in full
-- by every search, 15 ms after 10,000 quick inserts, and organizations are
-- created rarely enough that their inserts do not need it. pg_trgm itself
-- comes from 0005.

CREATE INDEX organizations_name_trgm_idx ON organizations USING gin (name public.gin_trgm_ops)
    WITH (fastupdate = off);

CREATE INDEX organizations_schema_name_trgm_idx ON organizations USING gin (schema_name public.gin_trgm_ops)
    WITH (fastupdate = off);

CREATE INDEX organizations_name_order_idx ON organizations (lower(name), id);
