"""The Flask app factory: settings, database, error format, security, blueprints."""
from flask import Flask
from flask_cors import CORS

from taskflask import cli, logs
from taskflask.api import exports, health, organizations, tasks
from taskflask.db import database
from taskflask.settings import Config
from taskflask.tenants.migrate_run import migrate_tenants
from taskflask.web import errors, openapi, security, spa, tenancy
from taskflask.web.json_provider import ApiJSONProvider

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

    database.configure(app.config["DATABASE_URL"], app.config["DB_POOL_MAX"])
    logs.init_app(app)
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
