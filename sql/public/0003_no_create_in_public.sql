-- Nobody but the schema's owner creates objects in public (PostgreSQL 15's
-- default, made explicit for older servers): the app's own role only reads and
-- writes the registry, and its tenant data lives in the schemas it creates.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
