-- Exports can expire (their file removed after EXPORT_TTL), and a tenant has at
-- most one export waiting or running, so one tenant cannot starve the workers.
ALTER TABLE exports DROP CONSTRAINT exports_status_check;
ALTER TABLE exports ADD CONSTRAINT exports_status_check
    CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'expired'));

CREATE UNIQUE INDEX exports_one_active_key ON exports ((true))
    WHERE status IN ('pending', 'processing');

-- The reaper looks for exports stuck in processing, the expiry for old completed ones.
CREATE INDEX exports_status_started_idx ON exports (status, started_at);
CREATE INDEX exports_status_completed_idx ON exports (status, completed_at);

-- When the export's job was last put on the queue (the reaper re-queues lost ones).
ALTER TABLE exports ADD COLUMN queued_at timestamptz NOT NULL DEFAULT now();
