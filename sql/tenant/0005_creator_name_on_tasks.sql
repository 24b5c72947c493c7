-- Each task keeps its creator's name, written with the task: a page of tasks
-- reads the tasks table alone. Joining users for the name made PostgreSQL plan
-- users and both its indexes on every page, three more relations for a backend
-- to build from the catalogs the first time it serves a tenant, and a lookup per
-- task. No route renames a user; one that does must update these in the same
-- transaction.
-- The fast form of README.md: the column without a value, then the rows.
ALTER TABLE tasks ADD COLUMN created_by_name text;
UPDATE tasks t SET created_by_name = u.name FROM users u WHERE u.id = t.created_by;
ALTER TABLE tasks ALTER COLUMN created_by_name SET NOT NULL;
