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

-- name: status
SELECT status FROM exports WHERE id = %(id)s;

-- name: claim
-- Only one worker can move a pending export to processing.
UPDATE exports
SET status = 'processing', started_at = %(now)s, attempts = attempts + 1, error = NULL
WHERE id = %(id)s AND status = 'pending'
RETURNING id;

-- name: complete
UPDATE exports
SET status = 'completed', row_count = %(row_count)s, completed_at = %(now)s
WHERE id = %(id)s AND status = 'processing';

-- name: release
-- A failed attempt that Huey will retry: back to pending, with the reason kept.
UPDATE exports
SET status = 'pending', error = %(error)s
WHERE id = %(id)s AND status = 'processing';

-- name: fail
UPDATE exports
SET status = 'failed', error = %(error)s, completed_at = %(now)s
WHERE id = %(id)s AND status IN ('pending', 'processing');

-- name: copy_csv
-- Streamed by COPY; text cells that a spreadsheet would run as a formula get a
-- leading quote (OWASP CSV injection), done here so the export stays at COPY speed.
COPY (
    SELECT id,
           CASE WHEN left(title, 1) IN ('=', '+', '-', '@', E'\t', E'\r', E'\n')
                THEN '''' || title ELSE title END AS title,
           CASE WHEN left(description, 1) IN ('=', '+', '-', '@', E'\t', E'\r', E'\n')
                THEN '''' || description ELSE description END AS description,
           status,
           created_by AS "createdBy",
           created_at AS "createdAt",
           updated_at AS "updatedAt",
           completed_at AS "completedAt"
    FROM tasks
    ORDER BY created_at DESC, id DESC
) TO STDOUT WITH (FORMAT csv, HEADER)
