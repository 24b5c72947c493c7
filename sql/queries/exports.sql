-- name: insert_export$
INSERT INTO exports (requested_by)
VALUES (:requested_by)
RETURNING id;

-- name: track_export!
-- Every pending or processing export has a row in public.active_exports (ids only).
INSERT INTO public.active_exports (export_id, schema_name, queue)
VALUES (:id, :schema, :queue);

-- name: list_exports
-- Exports in the API's shape, newest first; with :id (else NULL) only that one,
-- which is get_export: one select list for both. psycopg2 sends the values in
-- the text, so PostgreSQL folds the test of :id away and reads the id by its key.
SELECT e.id, e.status, e.requested_by AS "requestedBy", e.row_count AS "rowCount",
       CASE WHEN e.status = 'completed' THEN '/exports/' || e.id || '/download' END AS "fileUrl",
       CASE WHEN e.status = 'failed' THEN e.error END AS error,
       e.created_at AS "createdAt", e.completed_at AS "completedAt",
       CASE WHEN e.status IN ('completed', 'expired') THEN e.row_count END AS "rowsWritten",
       CASE WHEN e.status IN ('completed', 'expired') THEN e.row_count
            WHEN e.status = 'processing' THEN e.rows_expected END AS "rowsExpected",
       u.name AS "requestedByName"
FROM exports e
LEFT JOIN users u ON u.id = e.requested_by
WHERE :id::uuid IS NULL OR e.id = :id::uuid
ORDER BY e.created_at DESC, e.id DESC
LIMIT :limit;

-- name: export_progress^
-- What the attempt's worker is doing, read from the backend that holds its lock:
-- copying (pg_stat_progress_copy, PostgreSQL 14+: its rows so far); starting
-- (in start_attempt, or in the COPY statement before its progress row appears:
-- on Citus the coordinator plans it first); or else past its COPY, every row
-- written. Only public and catalog objects: on Citus this runs on the
-- coordinator, where the lock lives. The COPY is known by how its text starts:
-- pg_stat_activity keeps only the first track_activity_query_size bytes (1,024
-- by default), and copy_csv's text is longer, its "TO STDOUT" cut off.
SELECT p.tuples_processed AS copying,
       s.query LIKE '%%pg_advisory_xact_lock(%%'
       OR (s.state = 'active' AND s.query LIKE 'COPY (%%') AS starting
FROM public.active_exports a
JOIN pg_catalog.pg_locks l
  ON l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
 AND l.classid = :namespace AND l.objid = a.lock_key::oid
 AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
JOIN pg_catalog.pg_stat_activity s ON s.pid = l.pid
LEFT JOIN pg_catalog.pg_stat_progress_copy p ON p.pid = l.pid
WHERE a.export_id = :id;

-- name: active_export^
SELECT id, status FROM exports WHERE status IN ('pending', 'processing');

-- name: export_state^
SELECT status, attempts FROM exports WHERE id = :id;

-- name: claim_export$
-- Only one worker can move a pending export to processing; the attempt number
-- it gets back guards its later updates against a stale worker. The count is
-- the total of its progress.
UPDATE exports
SET status = 'processing', started_at = :now, attempts = attempts + 1, error = NULL,
    rows_expected = (SELECT count(*) FROM tasks)
WHERE id = :id AND status = 'pending'
RETURNING attempts;

-- name: track_claim$
-- The attempt's lock key; its worker takes the lock at the start of the COPY's transaction.
INSERT INTO public.active_exports AS a (export_id, schema_name, attempt, lock_key, claimed_at)
VALUES (:id, :schema, :attempt, hashtext(:id::uuid::text || '/' || :attempt), now())
ON CONFLICT (export_id) DO UPDATE
SET attempt = excluded.attempt, lock_key = excluded.lock_key, claimed_at = excluded.claimed_at
RETURNING lock_key;

-- name: start_attempt^
-- The first statement of the COPY's transaction, in one round trip: the attempt's
-- lock, held until the transaction ends (PostgreSQL releases it if the worker's
-- connection dies), then whether the attempt still holds the export.
SET LOCAL TimeZone TO 'UTC';
SELECT pg_advisory_xact_lock(:namespace, :lock_key);
SELECT 1 AS holds FROM exports WHERE id = :id AND status = 'processing' AND attempts = :attempt;

-- name: complete_export!
UPDATE exports
SET status = 'completed', row_count = :row_count, completed_at = :now
WHERE id = :id AND status = 'processing' AND attempts = :attempt;

-- name: release_export!
-- A failed or interrupted attempt that will run again: back to pending, reason kept.
UPDATE exports
SET status = 'pending', error = :error, queued_at = :now
WHERE id = :id AND status = 'processing' AND (:attempt::int IS NULL OR attempts = :attempt);

-- name: take_back_export!
-- The sweeper's release of an attempt whose worker died or hung; skips a row the
-- worker has locked (it is completing the export at this moment).
UPDATE exports
SET status = 'pending', error = :error, queued_at = :now
WHERE id = (SELECT id FROM exports WHERE id = :id AND status = 'processing' AND attempts = :attempt
            FOR UPDATE SKIP LOCKED);

-- name: give_up_export!
-- The sweeper's end of an export whose workers died too many times (skipping a locked row, as take_back).
UPDATE exports
SET status = 'failed', error = :error, completed_at = :now
WHERE id = (SELECT id FROM exports WHERE id = :id AND status = 'processing' AND attempts = :attempt
            FOR UPDATE SKIP LOCKED);

-- name: fail_export!
-- The last attempt failed (attempt given), or the job could not be queued (pending).
UPDATE exports
SET status = 'failed', error = :error, completed_at = :now
WHERE id = :id
  AND (status = 'pending' OR (status = 'processing' AND attempts = :attempt::int));

-- name: mark_requeued!
UPDATE public.active_exports
SET attempt = NULL, lock_key = NULL, claimed_at = NULL, queued_at = now()
WHERE export_id = :id;

-- name: untrack_export!
DELETE FROM public.active_exports WHERE export_id = :id;

-- name: lost_runs
-- Processing exports whose worker is gone (its lock is free) or hung (running
-- longer than stuck_after). A claim younger than the grace is left alone: its
-- worker is between committing the claim and taking the lock.
SELECT export_id, schema_name, attempt, claimed_at < now() - :stuck_after AS hung
FROM public.active_exports a
WHERE (queue = :queue OR queue IS NULL) AND attempt IS NOT NULL AND claimed_at < now() - :grace
  AND (claimed_at < now() - :stuck_after OR NOT EXISTS (
        SELECT 1 FROM pg_catalog.pg_locks l
        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
          AND l.classid = :namespace AND l.objid = a.lock_key::oid
          AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())))
ORDER BY claimed_at;

-- name: requeue_waiting
-- Pending for too long: its job may have been lost with Redis. Queue it again.
UPDATE public.active_exports
SET queued_at = now()
WHERE (queue = :queue OR queue IS NULL) AND attempt IS NULL AND queued_at < now() - :stuck_after
RETURNING export_id, schema_name;

-- name: waiting_or_running
SELECT id, CASE WHEN status = 'processing' THEN attempts END AS attempt, started_at, queued_at
FROM exports WHERE status IN ('pending', 'processing');

-- name: retrack_export!
-- An active export that public.active_exports lost (one made by an older release,
-- or a commit that reached a Citus worker node but not the coordinator). The
-- queue of the consumer that found it is the one whose sweepers look after it.
INSERT INTO public.active_exports (export_id, schema_name, queue, attempt, lock_key, claimed_at, queued_at)
SELECT :id, :schema, :queue, :attempt::int,
       CASE WHEN :attempt::int IS NOT NULL THEN hashtext(:id::uuid::text || '/' || :attempt) END,
       :claimed_at, :queued_at
ON CONFLICT (export_id) DO NOTHING;

-- name: expire_exports
UPDATE exports
SET status = 'expired'
WHERE status = 'completed' AND completed_at < :before
RETURNING id;

-- name: copy_csv
-- Streamed by COPY; text cells that a spreadsheet would run as a formula get a
-- leading quote (OWASP CSV injection), done here so the export stays at COPY speed.
-- The first character is tested by its code ('=' 61, '+' 43, '-' 45, '@' 64, tab 9,
-- LF 10, CR 13): ascii() reads it in place, where left(..., 1) copies a string per cell.
-- Timestamps are written as the API writes them (2026-11-29T14:51:39.123Z); the
-- creator's name and email come after the seed's columns.
COPY (
    SELECT t.id,
           CASE WHEN ascii(t.title) IN (61, 43, 45, 64, 9, 10, 13)
                THEN '''' || t.title ELSE t.title END AS title,
           CASE WHEN ascii(t.description) IN (61, 43, 45, 64, 9, 10, 13)
                THEN '''' || t.description ELSE t.description END AS description,
           t.status,
           t.created_by AS "createdBy",
           to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
           to_char(t.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt",
           to_char(t.completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "completedAt",
           CASE WHEN ascii(u.name) IN (61, 43, 45, 64, 9, 10, 13)
                THEN '''' || u.name ELSE u.name END AS "createdByName",
           CASE WHEN ascii(u.email) IN (61, 43, 45, 64, 9, 10, 13)
                THEN '''' || u.email ELSE u.email END AS "createdByEmail"
    FROM tasks t
    LEFT JOIN users u ON u.id = t.created_by
    ORDER BY t.created_at DESC, t.id DESC
) TO STDOUT WITH (FORMAT csv, HEADER)
