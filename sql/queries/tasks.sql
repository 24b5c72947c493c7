-- name: list_tasks
-- Keyset pagination: the page after (after_created_at, after_id), newest first,
-- optionally only tasks whose title or description matches a LIKE pattern in
-- any case (the lowercased text of both, the expression of tasks_search_trgm_idx).
-- PostgreSQL builds each task's JSON in the API's shape (timestamps like
-- 2026-11-29T14:51:39.123Z) and the view only joins them: a page of 100 costs
-- Python no row decoding and no encoding. created_at and id make the next cursor.
SELECT json_build_object(
           'id', t.id, 'title', t.title, 'description', t.description, 'status', t.status,
           'createdBy', t.created_by,
           'createdAt', to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'updatedAt', to_char(t.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'completedAt', to_char(t.completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'createdByName', u.name
       )::text AS json,
       t.created_at, t.id
FROM tasks t
LEFT JOIN users u ON u.id = t.created_by
WHERE (:status::text IS NULL OR t.status = :status)
  AND (:pattern::text IS NULL OR lower(t.title || E'\n' || coalesce(t.description, '')) LIKE lower(:pattern))
  AND (:after_created_at::timestamptz IS NULL
       OR (t.created_at, t.id) < (:after_created_at::timestamptz, :after_id::uuid))
ORDER BY t.created_at DESC, t.id DESC
LIMIT :limit;

-- name: insert_task<!
-- The task, its creator's name, and one more pending task in the counts (task_counts:
-- created by the first task), in one statement.
WITH task AS (
    INSERT INTO tasks (title, description, created_by)
    VALUES (:title, :description, :created_by)
    RETURNING *
), counted AS (
    INSERT INTO task_counts AS c (pending, completed)
    VALUES (1, 0)
    ON CONFLICT (only_row) DO UPDATE SET pending = c.pending + 1
)
SELECT t.id, t.title, t.description, t.status, t.created_by AS "createdBy",
       t.created_at AS "createdAt", t.updated_at AS "updatedAt", t.completed_at AS "completedAt",
       u.name AS "createdByName"
FROM task t
LEFT JOIN users u ON u.id = t.created_by;

-- name: get_task^
SELECT t.id, t.title, t.description, t.status, t.created_by AS "createdBy",
       t.created_at AS "createdAt", t.updated_at AS "updatedAt", t.completed_at AS "completedAt",
       u.name AS "createdByName"
FROM tasks t
LEFT JOIN users u ON u.id = t.created_by
WHERE t.id = :id;

-- name: update_task<!
-- Changes only what differs, so repeating a PATCH is a no-op (no row comes back).
-- The row is locked first to read the status it had: a change of status moves
-- one task between the counts, in the same statement.
-- The time is a parameter: no now() inside CASE in an UPDATE (Citus refuses it).
WITH old AS (
    SELECT id, status FROM tasks WHERE id = :id FOR UPDATE
), task AS (
    UPDATE tasks t
    SET title        = coalesce(:title, t.title),
        description  = CASE WHEN :set_description THEN :description ELSE t.description END,
        status       = coalesce(:status, t.status),
        completed_at = CASE
                           WHEN coalesce(:status, t.status) = 'pending' THEN NULL
                           WHEN t.status = 'completed' THEN t.completed_at
                           ELSE :now::timestamptz
                       END,
        updated_at   = :now::timestamptz
    FROM old
    WHERE t.id = old.id
      AND (t.title, t.description, t.status) IS DISTINCT FROM
          (coalesce(:title, t.title),
           CASE WHEN :set_description THEN :description ELSE t.description END,
           coalesce(:status, t.status))
    RETURNING t.*, old.status AS old_status
), counted AS (
    UPDATE task_counts
    SET pending   = pending + CASE WHEN task.status = 'pending' THEN 1 ELSE -1 END,
        completed = completed + CASE WHEN task.status = 'completed' THEN 1 ELSE -1 END
    FROM task
    WHERE task.status <> task.old_status
)
SELECT t.id, t.title, t.description, t.status, t.created_by AS "createdBy",
       t.created_at AS "createdAt", t.updated_at AS "updatedAt", t.completed_at AS "completedAt",
       u.name AS "createdByName"
FROM task t
LEFT JOIN users u ON u.id = t.created_by;

-- name: delete_task^
-- Deletes the task if the user may (an admin, or its creator), and takes it out
-- of the counts in the same statement. No row: no such task, or not allowed.
WITH task AS (
    DELETE FROM tasks
    WHERE id = :id AND (:is_admin OR created_by = :user_id)
    RETURNING status
), counted AS (
    UPDATE task_counts
    SET pending   = pending - (SELECT count(*) FROM task WHERE status = 'pending'),
        completed = completed - (SELECT count(*) FROM task WHERE status = 'completed')
    WHERE EXISTS (SELECT FROM task)
)
SELECT status FROM task;

-- name: kept_task_counts^
-- The kept counts; no row until the tenant's first task.
SELECT pending + completed AS total, pending, completed FROM task_counts;

-- name: search_task_counts^
-- The tasks that match, by status, up to :cap in all: exact when fewer match.
SELECT count(*) AS total,
       count(*) FILTER (WHERE status = 'pending') AS pending,
       count(*) FILTER (WHERE status = 'completed') AS completed
FROM (SELECT status FROM tasks
      WHERE lower(title || E'\n' || coalesce(description, '')) LIKE lower(:pattern)
      LIMIT :cap) AS found;

-- name: capped_task_counts^
-- When the total reached the cap, each status is counted up to it on its own.
SELECT (SELECT count(*) FROM (SELECT FROM tasks WHERE status = 'pending'
                                AND lower(title || E'\n' || coalesce(description, '')) LIKE lower(:pattern)
                              LIMIT :cap) AS found) AS pending,
       (SELECT count(*) FROM (SELECT FROM tasks WHERE status = 'completed'
                                AND lower(title || E'\n' || coalesce(description, '')) LIKE lower(:pattern)
                              LIMIT :cap) AS found) AS completed;

-- name: count_tasks$
-- Run in each tenant's own transaction: never one query across tenants.
SELECT count(*) FROM tasks;
