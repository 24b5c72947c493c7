-- A new tenant's schema as the migrations in this folder leave it, built in one go.
-- version: 6
-- Runs with search_path set to the new schema only. After adding a migration,
-- bring this file to the same shape and raise the version above (README.md).

CREATE TABLE users (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name       text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    email      text NOT NULL CHECK (char_length(email) BETWEEN 3 AND 320),
    role       text NOT NULL CHECK (role IN ('admin', 'member')),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Emails are unique per tenant whatever their case.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE tasks (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    title        text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    description  text CHECK (char_length(description) <= 10000),
    status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'completed')),
    created_by   uuid NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    completed_at timestamptz,
    -- The creator's name when the task was made, so a page reads tasks alone (0005).
    created_by_name text NOT NULL,
    CHECK ((status = 'completed') = (completed_at IS NOT NULL))
);

-- Keyset pagination walks these newest first, with or without a status filter.
CREATE INDEX tasks_newest_idx ON tasks (created_at DESC, id DESC);
CREATE INDEX tasks_status_newest_idx ON tasks (status, created_at DESC, id DESC);
-- Search: a LIKE on the lowercased title and description (0004).
CREATE INDEX tasks_search_trgm_idx ON tasks
    USING gin (lower(title || E'\n' || coalesce(description, '')) public.gin_trgm_ops);
-- A search's window of time far back, ANDed with the trigram index (0006).
CREATE INDEX tasks_created_brin_idx ON tasks
    USING brin ((created_at AT TIME ZONE 'UTC')) WITH (pages_per_range = 4);

-- The filter pills' counts, kept by each statement that changes tasks; one row,
-- created by the first change (0004).
CREATE TABLE task_counts (
    only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    pending   bigint NOT NULL,
    completed bigint NOT NULL
);

CREATE TABLE exports (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    status        text NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'expired')),
    requested_by  uuid NOT NULL REFERENCES users (id),
    row_count     bigint,
    error         text,
    attempts      integer NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now(),
    started_at    timestamptz,
    completed_at  timestamptz,
    -- When the export's job was last put on the queue (the reaper re-queues lost ones).
    queued_at     timestamptz NOT NULL DEFAULT now(),
    -- The rows the running attempt expects to write (the total of its progress).
    rows_expected bigint
);

CREATE INDEX exports_newest_idx ON exports (created_at DESC, id DESC);
-- A tenant has at most one export waiting or running.
CREATE UNIQUE INDEX exports_one_active_key ON exports ((true))
    WHERE status IN ('pending', 'processing');
-- The reaper looks for exports stuck in processing, the expiry for old completed ones.
CREATE INDEX exports_status_started_idx ON exports (status, started_at);
CREATE INDEX exports_status_completed_idx ON exports (status, completed_at);
