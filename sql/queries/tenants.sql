-- name: task_count
-- Run in each tenant's own transaction: never one query across tenants.
SELECT count(*) AS tasks FROM tasks;
