"""taskflask: a multi-tenant task manager, one PostgreSQL schema per organization.

Packages: web (the Flask app and what every request passes through), api (one
blueprint per resource), data (the data-access functions), tenants (schemas:
names, migrations, deletion, backup, Citus), exports (the Huey job, the CSV
writer, export files and their upkeep), serving (running locally and under
gunicorn), cli (operator commands). Beside them: settings, db (pool and
transactions), queue (the Huey instance), logs, failures.
Importing this package imports no web code, so the worker stays free of Flask.
"""
