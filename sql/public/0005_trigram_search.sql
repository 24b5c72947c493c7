-- Task search (LIKE '%words%') is served by a trigram index in every tenant.
-- The extension lives in public, once per database (on Citus, the coordinator
-- creates it on every worker too); tenant indexes name its operator class as
-- public.gin_trgm_ops, because a tenant's search_path holds its own schema only.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
