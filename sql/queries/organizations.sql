-- name: list_organizations
SELECT id, name, schema_name AS "schemaName", created_at AS "createdAt"
FROM public.organizations
ORDER BY created_at, id;

-- name: insert_organization^
INSERT INTO public.organizations (name, schema_name, schema_version)
VALUES (:name, :schema_name, :schema_version)
RETURNING id, name, schema_name AS "schemaName", created_at AS "createdAt";

-- name: tenant_schemas
SELECT schema_name FROM public.organizations ORDER BY schema_name;

-- name: schema_names
-- Every organization's schema name, for the names a process keeps (data.tenancy.SCHEMA_NAMES).
SELECT id::text AS id, schema_name FROM public.organizations LIMIT :limit;

-- name: schema_by_id_or_name$
SELECT schema_name FROM public.organizations WHERE id::text = :key OR schema_name = :key;

-- name: lock_organization^
SELECT id, name, schema_name AS "schemaName", created_at AS "createdAt"
FROM public.organizations
WHERE id = :id
FOR UPDATE;

-- name: unregister_organization!
DELETE FROM public.organizations WHERE id = :id;
INSERT INTO public.schema_drops (schema_name) VALUES (:schema_name);

-- name: search_organizations
-- A page in name order (case-insensitive) after the keyset (after_name, after_id),
-- walking the (lower(name), id) index of public migration 0005 and filtering as
-- it goes: for every organization, and for searches too short for a trigram,
-- whose matches are many. A NULL pattern or key drops its condition (psycopg2
-- sends literals, so the planner folds it away).
SELECT id, name, schema_name AS "schemaName", created_at AS "createdAt"
FROM public.organizations
WHERE (:pattern::text IS NULL OR name ILIKE :pattern OR schema_name ILIKE :pattern)
  AND (:after_id::uuid IS NULL OR (lower(name), id) > (lower(:after_name::text), :after_id::uuid))
ORDER BY lower(name), id
LIMIT :limit;

-- name: search_organizations_by_trigrams
-- The same page for a search with a trigram in it, in two steps:
-- 1. walked: the 100 organizations after the cursor in name order, tested one by
--    one, stopping at a full page: what a word in most names (every "Tenant ...")
--    finds there at once.
-- 2. matches: when the walk found less than a page, every match from the trigram
--    indexes, then sorted. Left to itself the planner walks the name order
--    instead, expecting matches spread evenly; those of a word cluster together
--    (all "Stark ..." sort late), and it read 7,000 of 10,000 rows to find 21.
-- Taking the trigram matches alone, a word in every name had all 10,000 read and
-- sorted for its 21 (50 ms).
WITH walked AS MATERIALIZED (
    SELECT id, name, schema_name, created_at
    FROM (SELECT id, name, schema_name, created_at
          FROM public.organizations
          WHERE :after_id::uuid IS NULL OR (lower(name), id) > (lower(:after_name::text), :after_id::uuid)
          ORDER BY lower(name), id
          LIMIT 100) AS first
    WHERE name ILIKE :pattern OR schema_name ILIKE :pattern
    LIMIT :limit
), matches AS MATERIALIZED (
    SELECT id, name, schema_name, created_at
    FROM public.organizations
    WHERE (name ILIKE :pattern OR schema_name ILIKE :pattern)
      AND (SELECT count(*) FROM walked) < :limit
)
SELECT id, name, schema_name AS "schemaName", created_at AS "createdAt"
FROM (SELECT * FROM walked
      WHERE (SELECT count(*) FROM walked) >= :limit
      UNION ALL
      SELECT * FROM matches
      WHERE :after_id::uuid IS NULL OR (lower(name), id) > (lower(:after_name::text), :after_id::uuid)) AS page
ORDER BY lower(name), id
LIMIT :limit;

-- name: get_organization^
SELECT id, name, schema_name AS "schemaName", created_at AS "createdAt"
FROM public.organizations
WHERE id = :id;
