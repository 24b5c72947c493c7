"""Tenant migrations a next release might ship, for the conftest ``ship`` fixture."""
PRIORITY_COLUMN = "ALTER TABLE tasks ADD COLUMN priority integer NOT NULL DEFAULT 0;"
BROKEN = "ALTER TABLE no_such_table ADD COLUMN y int;"
