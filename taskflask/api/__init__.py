"""HTTP API: one blueprint per resource (health, organizations, tasks, exports)."""
