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
-- The same page for a search with a trigram in it: the matches first, from the
-- trigram indexes, then sorted. Left to itself the planner walks the name order
-- instead, expecting matches spread evenly; those of a word cluster together
-- (all "Stark ..." sort late), and it read 7,000 of 10,000 rows to find 21.
WITH matches AS MATERIALIZED (
    SELECT id, name, schema_name, created_at
    FROM public.organizations
    WHERE name ILIKE :pattern OR schema_name ILIKE :pattern
)
SELECT id, name, schema_name AS "schemaName", created_at AS "createdAt"
FROM matches
WHERE :after_id::uuid IS NULL OR (lower(name), id) > (lower(:after_name::text), :after_id::uuid)
ORDER BY lower(name), id
LIMIT :limit;

-- name: get_organization^
SELECT id, name, schema_name AS "schemaName", created_at AS "createdAt"
FROM public.organizations
WHERE id = :id;
