-- name: list_tasks
-- Keyset pagination: the page after (after_created_at, after_id), newest first.
-- PostgreSQL builds each task's JSON in the API's shape (timestamps like
-- 2026-11-29T14:51:39.123Z) and the view only joins them: a page of 100 costs
-- Python no row decoding and no encoding. The JSON is json_build_object's text,
-- byte for byte ("key" : value, ", " between pairs), written out with format():
-- json_build_object looks up each of its 18 arguments' output function on every
-- row, which cost a page of 100 about 0.6 ms of PostgreSQL's time. to_json
-- escapes the free texts; status is one of two plain words (tasks_status_check).
-- created_at (as text: only the cursor's row is parsed) and id make the next cursor.
-- A search has its own statement (search_tasks): planning that one costs a plain
-- page about half a millisecond more, even with its phases pruned.
SELECT format('{"id" : "%%s", "title" : %%s, "description" : %%s, "status" : "%%s", "createdBy" : "%%s", '
              '"createdAt" : "%%s", "updatedAt" : "%%s", "completedAt" : %%s, "createdByName" : %%s}',
              t.id, to_json(t.title), coalesce(to_json(t.description)::text, 'null'), t.status, t.created_by,
              to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
              to_char(t.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
              coalesce('"' || to_char(t.completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"',
                       'null'),
              to_json(t.created_by_name)) AS json,
       t.created_at::text, t.id
FROM tasks t
WHERE (:status::text IS NULL OR t.status = :status)
  AND (:after_created_at::timestamptz IS NULL
       OR (t.created_at, t.id) < (:after_created_at::timestamptz, :after_id::uuid))
ORDER BY t.created_at DESC, t.id DESC
LIMIT :limit;

-- name: search_tasks
-- list_tasks's page (the same columns, cursor and order) of only the tasks whose
-- title or description matches the LIKE pattern :pattern in any case (the
-- lowercased text of both, the expression of tasks_search_trgm_idx).
--
-- A search runs in up to three bounded phases, each shaped so that its plan does
-- not hang on the planner's guess of how common the word is (from a histogram of
-- 100 texts: 1% for a word in 0.5% of tasks, enough to make it walk 20,000 rows):
-- 1. walked: the 1,000 newest tasks after the cursor (of the status), tested one
--    by one, stopping at a full page: where a word in 10% of tasks or more ends.
-- 2. in_window: when walked found 3 to a page less one, the tasks newer than a
--    time that should hold two pages at walked's rate, through the trigram index
--    ANDed with the BRIN index's pages of that time: only the window's matches are
--    read; or, from half a page walked on, by walking on through that window. When
--    walked found fewer than 3, samples of 25 tasks further and further back
--    (located, which then halves the last step) tell where the word starts, if it is
--    common there, and the window reaches that.
-- 3. older: the matches older than that window (all of them after the cursor
--    when there is none): through the trigram index alone, sorted here.
-- A phase runs only when the ones before it found less than a page; without a
-- search only the walk is planned, and it is the page. A text with no trigram for
-- the index (pg_trgm takes one from 3 letters or digits in a row, or from a word
-- that starts, or ends after 2 characters, inside the text: the regular expression
-- below) would have the index read in full: the walk goes on until it has the page.
WITH walked AS (
    SELECT newest.*
    FROM (SELECT t.id, t.title, t.description, t.status, t.created_by, t.created_by_name, t.created_at,
                 t.updated_at, t.completed_at
          FROM tasks t
          WHERE (:status::text IS NULL OR t.status = :status)
            AND (:after_created_at::timestamptz IS NULL
                 OR (t.created_at, t.id) < (:after_created_at::timestamptz, :after_id::uuid))
          ORDER BY t.created_at DESC, t.id DESC
          LIMIT CASE WHEN :pattern::text IS NULL THEN :limit
                     WHEN substr(:pattern::text, 2, char_length(:pattern) - 2)
                          !~ '[[:alnum:]]{3}|[^[:alnum:]][[:alnum:]]|[[:alnum:]]{2}[^[:alnum:]]' THEN NULL
                     ELSE 1000 END) AS newest
    WHERE :pattern::text IS NULL
       OR lower(newest.title || E'\n' || coalesce(newest.description, '')) LIKE lower(:pattern)
    LIMIT :limit
), walked_hits AS (
    SELECT count(*) AS n FROM walked
), found AS (
    SELECT * FROM walked
    WHERE :pattern::text IS NULL
       OR substr(:pattern, 2, char_length(:pattern) - 2)
          !~ '[[:alnum:]]{3}|[^[:alnum:]][[:alnum:]]|[[:alnum:]]{2}[^[:alnum:]]'
       OR (SELECT n FROM walked_hits) >= :limit
    UNION ALL
    SELECT * FROM (
        WITH span AS (
            -- the time the walk covered, from the cursor (or the newest task) to its 1,000th task
            SELECT coalesce(:after_created_at::timestamptz, max(created_at)) AS newest, min(created_at) AS oldest,
                   count(*) = 1000 AS more
            FROM (SELECT t.created_at
                  FROM tasks t
                  WHERE (:status::text IS NULL OR t.status = :status)
                    AND (:after_created_at::timestamptz IS NULL
                         OR (t.created_at, t.id) < (:after_created_at::timestamptz, :after_id::uuid))
                  ORDER BY t.created_at DESC, t.id DESC
                  LIMIT 1000) AS newest
        ), located AS (
            -- under 3 walked: samples of 25 tasks (of the status) ever further back, at
            -- 2, 4, 8, ... times the walk's span, until one has 2 matches or more, or has
            -- fewer than 25 tasks: the table's end (a fixed 1,024 spans, a million tasks
            -- back, left a word that starts further back to the index alone: 387 ms at
            -- 4,000,000 tasks);
            -- then 9 more, each halfway between that one and the newer one that had fewer
            -- (or the walk's end), keep the half the word starts in (hits stays the first
            -- find's: a sample across the start has fewer, and the window, two pages at
            -- that rate, would be longer than it needs; spread, the time that sample's 25
            -- tasks cover, makes two pages a time where tasks are sparser or denser than
            -- the walk's). A word only in older tasks (10%
            -- of the older half of the table) then has its window end about two pages past
            -- its start: every match in the window is read again (the row, its recheck),
            -- and a doubling alone can overshoot the start by as far again. A rarer word
            -- has too few matches for a window to pay.
            WITH RECURSIVE probe (k, newer, older, hits, spread, halvings, ended) AS (
                SELECT 0, 1.0::float8, NULL::float8, 0::bigint, NULL::interval, 0, false
                FROM span, walked_hits
                WHERE span.more AND walked_hits.n < 3
                UNION ALL
                SELECT probe.k + 1,
                       CASE WHEN sampled.hits >= 2 THEN probe.newer ELSE target.at END,
                       CASE WHEN sampled.hits >= 2 THEN target.at ELSE probe.older END,
                       CASE WHEN probe.older IS NULL THEN sampled.hits ELSE probe.hits END,
                       CASE WHEN probe.older IS NULL THEN sampled.spread ELSE probe.spread END,
                       probe.halvings + (probe.older IS NOT NULL)::int,
                       sampled.seen < 25
                FROM probe, span,
                     LATERAL (SELECT CASE WHEN probe.older IS NULL THEN (2 ^ (probe.k + 1))::float8
                                          ELSE (probe.newer + probe.older) / 2 END AS at) AS target,
                     LATERAL (SELECT count(*) AS seen, max(sample.created_at) - min(sample.created_at) AS spread,
                                     count(*) FILTER (WHERE lower(sample.title || E'\n'
                                                                  || coalesce(sample.description, ''))
                                                            LIKE lower(:pattern)) AS hits
                              FROM (SELECT t.title, t.description, t.created_at
                                    FROM tasks t
                                    WHERE (:status::text IS NULL OR t.status = :status)
                                      AND t.created_at < span.newest - (span.newest - span.oldest) * target.at
                                    ORDER BY t.created_at DESC, t.id DESC
                                    LIMIT 25) AS sample) AS sampled
                WHERE CASE WHEN probe.older IS NULL
                           THEN NOT probe.ended AND extract(epoch FROM (span.newest - span.oldest)) * target.at <= 3e9
                           ELSE probe.halvings < 9 END
            )
            SELECT older, hits, spread FROM probe WHERE older IS NOT NULL ORDER BY k DESC LIMIT 1
        ), window_start AS (
            -- two pages at walked's rate, as a time: -infinity when the walk saw every
            -- task (or the window would reach back a century); under 3 walked, from the
            -- walk to where located found the word and two pages at its rate beyond
            -- it, else no window (infinity): every match is taken
            SELECT CASE WHEN n < 3
                            THEN coalesce((SELECT newest - (newest - oldest) * older - spread * (2.0 * :limit / hits)
                                           FROM located), 'infinity')
                        WHEN NOT more OR extract(epoch FROM newest - oldest) * 2 * :limit / n > 3e9
                            THEN '-infinity'
                        ELSE newest - (newest - oldest) * (2.0 * :limit / n) END AS since,
                   n >= 3 OR EXISTS (SELECT FROM located) AS windowed
            FROM span, walked_hits
        ), in_window AS MATERIALIZED (
            -- under half a page walked: the trigram index ANDed with the window's time,
            -- named as the UTC time of tasks_created_brin_idx (a summary per 4 pages,
            -- where tasks_newest_idx would add an entry per task to the bitmap: 20-40
            -- ms for a window of half a million tasks). Both ends are parameters, so the
            -- planner takes the range for 0.5% of the table and ANDs the two indexes
            -- rather than walk either; IS TRUE makes the status and the cursor filters,
            -- which the B-tree indexes would otherwise AND in (entry by entry again).
            SELECT t.id, t.created_at
            FROM tasks t
            WHERE (:status::text IS NULL OR (t.status = :status) IS TRUE)
              AND (:after_created_at::timestamptz IS NULL
                   OR ((t.created_at, t.id) < (:after_created_at::timestamptz, :after_id::uuid)) IS TRUE)
              AND lower(t.title || E'\n' || coalesce(t.description, '')) LIKE (SELECT lower(:pattern))
              AND (t.created_at AT TIME ZONE 'UTC') >= (SELECT since AT TIME ZONE 'UTC' FROM window_start)
              AND (t.created_at AT TIME ZONE 'UTC')
                  <= (SELECT coalesce(:after_created_at::timestamptz, 'infinity') AT TIME ZONE 'UTC')
              AND ((SELECT n FROM walked_hits) * 2 < :limit OR (SELECT n FROM walked_hits) < 3)
            UNION ALL
            -- half a page or more: so common a word is found sooner by walking on
            -- (the trigram index would read every match of it in the table)
            SELECT id, created_at
            FROM (SELECT newest.id, newest.created_at
                  FROM (SELECT t.id, t.created_at, t.title, t.description
                        FROM tasks t
                        WHERE (:status::text IS NULL OR t.status = :status)
                          AND (:after_created_at::timestamptz IS NULL
                               OR (t.created_at, t.id) < (:after_created_at::timestamptz, :after_id::uuid))
                          AND t.created_at >= (SELECT since FROM window_start)
                        ORDER BY t.created_at DESC, t.id DESC
                        OFFSET 0) AS newest  -- walked in this order: the match is not pushed into it
                  WHERE lower(newest.title || E'\n' || coalesce(newest.description, ''))
                        LIKE (SELECT lower(:pattern))
                  LIMIT :limit) AS walked_on
            WHERE (SELECT n FROM walked_hits) * 2 >= :limit AND (SELECT n FROM walked_hits) >= 3
        ), matches AS MATERIALIZED (
            -- every match, through the trigram index alone: the pattern as a parameter,
            -- whatever the planner guesses of the word, and the other conditions
            -- applied after, or it would AND in a range of most of the table
            SELECT t.id, t.created_at, t.status
            FROM tasks t
            WHERE lower(t.title || E'\n' || coalesce(t.description, '')) LIKE (SELECT lower(:pattern))
        ), older AS (
            SELECT id, created_at
            FROM matches
            WHERE (:status::text IS NULL OR status = :status)
              AND (:after_created_at::timestamptz IS NULL
                   OR (created_at, id) < (:after_created_at::timestamptz, :after_id::uuid))
              AND created_at < (SELECT since FROM window_start)
        )
        SELECT t.id, t.title, t.description, t.status, t.created_by, t.created_by_name, t.created_at, t.updated_at,
               t.completed_at
        FROM (SELECT id
              FROM (SELECT id, created_at FROM in_window ORDER BY created_at DESC, id DESC LIMIT :limit) AS w
              WHERE (SELECT windowed FROM window_start)
              UNION ALL
              SELECT id
              FROM (SELECT id, created_at FROM older ORDER BY created_at DESC, id DESC LIMIT :limit) AS o
              WHERE NOT (SELECT windowed FROM window_start) OR (SELECT count(*) FROM in_window) < :limit) AS hits
        JOIN tasks t ON t.id = hits.id
    ) AS searched
    WHERE substr(:pattern, 2, char_length(:pattern) - 2)
          ~ '[[:alnum:]]{3}|[^[:alnum:]][[:alnum:]]|[[:alnum:]]{2}[^[:alnum:]]'
      AND (SELECT n FROM walked_hits) < :limit
)
SELECT format('{"id" : "%%s", "title" : %%s, "description" : %%s, "status" : "%%s", "createdBy" : "%%s", '
              '"createdAt" : "%%s", "updatedAt" : "%%s", "completedAt" : %%s, "createdByName" : %%s}',
              t.id, to_json(t.title), coalesce(to_json(t.description)::text, 'null'), t.status, t.created_by,
              to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
              to_char(t.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
              coalesce('"' || to_char(t.completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"',
                       'null'),
              to_json(t.created_by_name)) AS json,
       t.created_at::text, t.id
FROM found t
ORDER BY t.created_at DESC, t.id DESC
LIMIT :limit;

-- name: insert_task<!
-- The task with its creator's name, and one more pending task in the counts
-- (task_counts: created by the first task), in one statement. Nothing when the
-- creator is no user of the tenant. (INSERT ... SELECT: Citus refuses a
-- subquery inside VALUES.)
WITH task AS (
    INSERT INTO tasks (title, description, created_by, created_by_name)
    SELECT :title, :description, u.id, u.name FROM users u WHERE u.id = :created_by
    RETURNING *
), counted AS (
    INSERT INTO task_counts AS c (pending, completed)
    SELECT 1, 0 FROM task
    ON CONFLICT (only_row) DO UPDATE SET pending = c.pending + 1
)
SELECT t.id, t.title, t.description, t.status, t.created_by AS "createdBy",
       t.created_at AS "createdAt", t.updated_at AS "updatedAt", t.completed_at AS "completedAt",
       t.created_by_name AS "createdByName"
FROM task t;

-- name: get_task^
SELECT t.id, t.title, t.description, t.status, t.created_by AS "createdBy",
       t.created_at AS "createdAt", t.updated_at AS "updatedAt", t.completed_at AS "completedAt",
       t.created_by_name AS "createdByName"
FROM tasks t
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
       t.created_by_name AS "createdByName"
FROM task t;

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
-- The tasks that match the LIKE pattern :pattern (as search_tasks), by status, each
-- counted up to :cap (at least 200, the sample below, which counts exactly); capped
-- when they add up to it. One statement whose first step picks the way, so that its
-- plan does not hang on the planner's guess of how common the word is:
-- 1. sampled: the 200 newest tasks. A word in a quarter or more of a status's share
--    of them is common: the trigram index would read every match of it in the table
--    (500,000 for a word in half of 1,000,000 tasks), so that status's newest tasks
--    are walked until :cap of them match (walked; at most 5 * :cap tasks, enough for
--    a word in a fifth of them).
-- 2. a rarer word, or a walk that ended short of :cap before the status's last task:
--    up to 4 * :cap matches through the trigram index (indexed), enough for a status
--    with a quarter of them to reach the cap; a status with fewer, when they fill
--    it, is counted through the index on its own (the last case of each CASE).
-- A step runs only when the ones before it leave a count unknown (CASE evaluates its
-- subqueries only when it reaches them; a CTE runs when first read).
WITH sampled AS MATERIALIZED (
    SELECT count(*) AS seen,
           count(*) FILTER (WHERE status = 'pending') AS pending_seen,
           count(*) FILTER (WHERE status = 'completed') AS completed_seen,
           count(*) FILTER (WHERE status = 'pending' AND hit) AS pending,
           count(*) FILTER (WHERE status = 'completed' AND hit) AS completed
    FROM (SELECT t.status, lower(t.title || E'\n' || coalesce(t.description, '')) LIKE lower(:pattern) AS hit
          FROM tasks t
          ORDER BY t.created_at DESC, t.id DESC
          LIMIT 200) AS newest
), walked AS MATERIALIZED (
    -- null: not walked. The status as a range, and first in the order: with status =
    -- 'x' the planner walks tasks_newest_idx and skips the other status's tasks, which
    -- costs more than reading its own index (its estimate takes that for random reads).
    SELECT CASE WHEN seen = 200 AND pending >= 10 AND pending * 4 >= pending_seen
                THEN (SELECT count(*)
                      FROM (SELECT FROM (SELECT t.title, t.description
                                         FROM tasks t
                                         WHERE t.status >= 'pending' AND t.status <= 'pending'
                                         ORDER BY t.status, t.created_at DESC, t.id DESC
                                         LIMIT 5 * :cap) AS newest
                            WHERE lower(newest.title || E'\n' || coalesce(newest.description, ''))
                                  LIKE lower(:pattern)
                            LIMIT :cap) AS found) END AS pending,
           CASE WHEN seen = 200 AND completed >= 10 AND completed * 4 >= completed_seen
                THEN (SELECT count(*)
                      FROM (SELECT FROM (SELECT t.title, t.description
                                         FROM tasks t
                                         WHERE t.status >= 'completed' AND t.status <= 'completed'
                                         ORDER BY t.status, t.created_at DESC, t.id DESC
                                         LIMIT 5 * :cap) AS newest
                            WHERE lower(newest.title || E'\n' || coalesce(newest.description, ''))
                                  LIKE lower(:pattern)
                            LIMIT :cap) AS found) END AS completed
    FROM sampled
), indexed AS (
    -- the pattern as a parameter (whatever the planner guesses of the word) and no
    -- other condition: the trigram index alone, as search_tasks's older phase
    SELECT count(*) AS total,
           count(*) FILTER (WHERE status = 'pending') AS pending,
           count(*) FILTER (WHERE status = 'completed') AS completed
    FROM (SELECT t.status
          FROM tasks t
          WHERE lower(t.title || E'\n' || coalesce(t.description, '')) LIKE (SELECT lower(:pattern))
          LIMIT 4 * :cap) AS found
), counted AS MATERIALIZED (
    SELECT CASE WHEN sampled.seen < 200 THEN sampled.pending
                WHEN walked.pending >= :cap THEN :cap
                WHEN walked.pending IS NOT NULL
                     AND (SELECT count(*) FROM (SELECT FROM tasks t WHERE t.status = 'pending' LIMIT 5 * :cap) AS every)
                         < 5 * :cap THEN walked.pending
                WHEN (SELECT total FROM indexed) < 4 * :cap OR (SELECT pending FROM indexed) >= :cap
                    THEN least((SELECT pending FROM indexed), :cap)
                ELSE (SELECT count(*)
                      FROM (SELECT FROM tasks t
                            WHERE lower(t.title || E'\n' || coalesce(t.description, '')) LIKE (SELECT lower(:pattern))
                              AND t.status = 'pending'
                            LIMIT :cap) AS found) END AS pending,
           CASE WHEN sampled.seen < 200 THEN sampled.completed
                WHEN walked.completed >= :cap THEN :cap
                WHEN walked.completed IS NOT NULL
                     AND (SELECT count(*) FROM (SELECT FROM tasks t WHERE t.status = 'completed' LIMIT 5 * :cap) AS every)
                         < 5 * :cap THEN walked.completed
                WHEN (SELECT total FROM indexed) < 4 * :cap OR (SELECT completed FROM indexed) >= :cap
                    THEN least((SELECT completed FROM indexed), :cap)
                ELSE (SELECT count(*)
                      FROM (SELECT FROM tasks t
                            WHERE lower(t.title || E'\n' || coalesce(t.description, '')) LIKE (SELECT lower(:pattern))
                              AND t.status = 'completed'
                            LIMIT :cap) AS found) END AS completed
    FROM sampled, walked
)
SELECT least(pending + completed, :cap)::integer AS total, pending::integer, completed::integer,
       pending + completed >= :cap AS capped
FROM counted;

-- name: count_tasks$
-- Run in each tenant's own transaction: never one query across tenants.
SELECT count(*) FROM tasks;
