"""taskflask: a multi-tenant task manager, one PostgreSQL schema per organization."""
from flask import Flask
from flask_cors import CORS

from taskflask import cli, errors, observability, openapi, security, spa, tenancy
from taskflask.api import exports, health, organizations, tasks
from taskflask.config import Config
from taskflask.db import RecyclePolicy, database
from taskflask.jsonprovider import ApiJSONProvider
from taskflask.migration_run import migrate_tenants

# Headers a browser on another origin (the Vite dev server) may send and read.
CORS_REQUEST_HEADERS = ["Content-Type", "x-tenant-id", "x-user-id", "X-Request-ID"]
CORS_RESPONSE_HEADERS = ["Link", "Location", "Retry-After", "Content-Disposition", "X-Request-ID"]


def create_app(test_config=None):
    """Build the app: settings, database, error format, blueprints, and migrations."""
    app = Flask(__name__, static_folder=None)
    app.json = ApiJSONProvider(app)
    app.config.update(Config().as_dict())
    if test_config:
        app.config.update(test_config)

    database.configure(app.config["DATABASE_URL"], app.config["DB_POOL_MAX"],
                       RecyclePolicy(app.config["DB_CONNECTION_MAX_SCHEMAS"], app.config["DB_CONNECTION_LIFETIME"]))
    observability.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    tenancy.init_app(app)
    CORS(app, origins=app.config["CORS_ORIGINS"], allow_headers=CORS_REQUEST_HEADERS,
         expose_headers=CORS_RESPONSE_HEADERS)
    for blueprint in (health.bp, openapi.bp, organizations.bp, tasks.bp, exports.bp):
        app.register_blueprint(blueprint)
    spa.init_app(app)
    cli.init_app(app)

    if app.config["MIGRATE_ON_START"]:
        # Its own connections, closed before gunicorn forks.
        migrate_tenants(app.config["DATABASE_URL"], citus=app.config["CITUS"])
    return app
