"""taskflask: a multi-tenant task manager, one PostgreSQL schema per organization.

Packages: web (the Flask app and HTTP concerns), api (blueprints), data (all SQL),
tenants (schemas: names, migrations, deletion, backup, Citus), exports (the Huey job
and CSV writer), serving (running locally and under gunicorn), cli (operator commands).
Importing this package imports no web code, so the worker stays free of Flask.
"""
