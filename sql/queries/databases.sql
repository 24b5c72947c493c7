-- name: database_exists$
SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_database WHERE datname = :name);
