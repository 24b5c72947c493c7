-- The registry of tenants: each organization owns one PostgreSQL schema.
CREATE TABLE organizations (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    schema_name text NOT NULL UNIQUE CHECK (schema_name ~ '^[a-z_][a-z0-9_]{0,62}$'),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX organizations_created_at_idx ON organizations (created_at, id);
