-- name: insert
INSERT INTO exports (requested_by)
VALUES (%(requested_by)s)
RETURNING id;

-- name: get
SELECT id, status, requested_by AS "requestedBy", row_count AS "rowCount",
       CASE WHEN status = 'completed' THEN '/exports/' || id || '/download' END AS "fileUrl",
       CASE WHEN status = 'failed' THEN error END AS error,
       created_at AS "createdAt", completed_at AS "completedAt"
FROM exports
WHERE id = %(id)s;

-- name: list
SELECT id, status, requested_by AS "requestedBy", row_count AS "rowCount",
       CASE WHEN status = 'completed' THEN '/exports/' || id || '/download' END AS "fileUrl",
       CASE WHEN status = 'failed' THEN error END AS error,
       created_at AS "createdAt", completed_at AS "completedAt"
FROM exports
ORDER BY created_at DESC, id DESC
LIMIT %(limit)s;

-- name: active
SELECT id, status FROM exports WHERE status IN ('pending', 'processing');

-- name: claim
-- Only one worker can move a pending export to processing; the attempt number
-- it gets back guards its later updates against a stale worker.
UPDATE exports
SET status = 'processing', started_at = %(now)s, attempts = attempts + 1, error = NULL
WHERE id = %(id)s AND status = 'pending'
RETURNING attempts;

-- name: complete
UPDATE exports
SET status = 'completed', row_count = %(row_count)s, completed_at = %(now)s
WHERE id = %(id)s AND status = 'processing' AND attempts = %(attempt)s;

-- name: release
-- A failed or interrupted attempt that will run again: back to pending, reason kept.
UPDATE exports
SET status = 'pending', error = %(error)s, queued_at = %(now)s
WHERE id = %(id)s AND status = 'processing' AND (%(attempt)s::int IS NULL OR attempts = %(attempt)s);

-- name: fail
-- The last attempt failed (attempt given), or the job could not be queued (pending).
UPDATE exports
SET status = 'failed', error = %(error)s, completed_at = %(now)s
WHERE id = %(id)s
  AND (status = 'pending' OR (status = 'processing' AND attempts = %(attempt)s::int));

-- name: release_stuck
-- Processing for too long: its worker died (kill -9, lost machine). Run it again.
UPDATE exports
SET status = 'pending', queued_at = %(now)s,
    error = 'The worker stopped before finishing; the export was queued again.'
WHERE status = 'processing' AND started_at < %(before)s AND attempts < %(max_attempts)s
RETURNING id;

-- name: fail_stuck
UPDATE exports
SET status = 'failed', completed_at = %(now)s,
    error = 'The worker stopped before finishing, too many times.'
WHERE status = 'processing' AND started_at < %(before)s AND attempts >= %(max_attempts)s
RETURNING id;

-- name: requeue_waiting
-- Pending for too long: its job may have been lost with Redis. Queue it again.
UPDATE exports
SET queued_at = %(now)s
WHERE status = 'pending' AND queued_at < %(before)s
RETURNING id;

-- name: expire
UPDATE exports
SET status = 'expired'
WHERE status = 'completed' AND completed_at < %(before)s
RETURNING id;

-- name: copy_csv
-- Streamed by COPY; text cells that a spreadsheet would run as a formula get a
-- leading quote (OWASP CSV injection), done here so the export stays at COPY speed.
-- The first character is tested by its code ('=' 61, '+' 43, '-' 45, '@' 64, tab 9,
-- LF 10, CR 13): ascii() reads it in place, where left(..., 1) copies a string per cell.
COPY (
    SELECT id,
           CASE WHEN ascii(title) IN (61, 43, 45, 64, 9, 10, 13)
                THEN '''' || title ELSE title END AS title,
           CASE WHEN ascii(description) IN (61, 43, 45, 64, 9, 10, 13)
                THEN '''' || description ELSE description END AS description,
           status,
           created_by AS "createdBy",
           created_at AS "createdAt",
           updated_at AS "updatedAt",
           completed_at AS "completedAt"
    FROM tasks
    ORDER BY created_at DESC, id DESC
) TO STDOUT WITH (FORMAT csv, HEADER)
