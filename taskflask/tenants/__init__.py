"""Tenant schemas: names, migrations and their runs, deletion, backup, Citus."""
