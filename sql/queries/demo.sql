-- name: insert_demo_tasks!
-- Demo data in one statement: every tenth task done, one task every 43 minutes up to now;
-- the counts take them in the same statement.
WITH added AS (
    INSERT INTO tasks (title, description, status, created_by, created_by_name, created_at, updated_at,
                       completed_at)
    SELECT 'Demo task ' || i,
           CASE WHEN i %% 3 = 0 THEN 'Details for demo task ' || i END,
           CASE WHEN i %% 10 = 0 THEN 'completed' ELSE 'pending' END,
           u.id, u.name,
           at, at, CASE WHEN i %% 10 = 0 THEN at + interval '1 hour' END
    FROM generate_series(1, :count) AS i
    JOIN users u ON u.id = CASE WHEN i %% 2 = 0 THEN :admin::uuid ELSE :member::uuid END,
         LATERAL (SELECT now() - (:count - i) * interval '43 minutes' AS at) AS t
    RETURNING status
)
INSERT INTO task_counts AS c (pending, completed)
SELECT count(*) FILTER (WHERE status = 'pending'), count(*) FILTER (WHERE status = 'completed')
FROM added
ON CONFLICT (only_row) DO UPDATE
SET pending = c.pending + excluded.pending, completed = c.completed + excluded.completed;
