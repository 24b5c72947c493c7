-- name: list_tasks
-- Keyset pagination: the page after (after_created_at, after_id), newest first.
-- PostgreSQL builds each task's JSON in the API's shape (timestamps like
-- 2026-11-29T14:51:39.123Z) and the view only joins them: a page of 100 costs
-- Python no row decoding and no encoding. created_at and id make the next cursor.
SELECT json_build_object(
           'id', id, 'title', title, 'description', description, 'status', status,
           'createdBy', created_by,
           'createdAt', to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'updatedAt', to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'completedAt', to_char(completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
       )::text AS json,
       created_at, id
FROM tasks
WHERE (:status::text IS NULL OR status = :status)
  AND (:after_created_at::timestamptz IS NULL
       OR (created_at, id) < (:after_created_at::timestamptz, :after_id::uuid))
ORDER BY created_at DESC, id DESC
LIMIT :limit;

-- name: insert_task<!
INSERT INTO tasks (title, description, created_by)
VALUES (:title, :description, :created_by)
RETURNING id, title, description, status, created_by AS "createdBy",
          created_at AS "createdAt", updated_at AS "updatedAt", completed_at AS "completedAt";

-- name: get_task^
SELECT id, title, description, status, created_by AS "createdBy",
       created_at AS "createdAt", updated_at AS "updatedAt", completed_at AS "completedAt"
FROM tasks
WHERE id = :id;

-- name: update_task<!
-- Changes only what differs, so repeating a PATCH is a no-op (no row comes back).
-- The time is a parameter: no now() inside CASE in an UPDATE (Citus refuses it).
UPDATE tasks
SET title        = coalesce(:title, title),
    description  = CASE WHEN :set_description THEN :description ELSE description END,
    status       = coalesce(:status, status),
    completed_at = CASE
                       WHEN coalesce(:status, status) = 'pending' THEN NULL
                       WHEN status = 'completed' THEN completed_at
                       ELSE :now::timestamptz
                   END,
    updated_at   = :now::timestamptz
WHERE id = :id
  AND (title, description, status) IS DISTINCT FROM
      (coalesce(:title, title),
       CASE WHEN :set_description THEN :description ELSE description END,
       coalesce(:status, status))
RETURNING id, title, description, status, created_by AS "createdBy",
          created_at AS "createdAt", updated_at AS "updatedAt", completed_at AS "completedAt";

-- name: count_tasks$
-- Run in each tenant's own transaction: never one query across tenants.
SELECT count(*) FROM tasks;
