-- name: list
SELECT id, name, schema_name AS "schemaName", created_at AS "createdAt"
FROM public.organizations
ORDER BY created_at, id;

-- name: insert
INSERT INTO public.organizations (name, schema_name)
VALUES (%(name)s, %(schema_name)s)
RETURNING id, name, schema_name AS "schemaName", created_at AS "createdAt";

-- name: schema_of
SELECT schema_name FROM public.organizations WHERE id = %(id)s;

-- name: schema_by_id_or_name
SELECT schema_name FROM public.organizations WHERE id::text = %(key)s OR schema_name = %(key)s;
