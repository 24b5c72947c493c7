"""The Flask app factory: settings, database, error format, security, blueprints."""
from flask import Flask
from flask_cors import CORS

from taskflask import cli
from taskflask.api import exports, health, organizations, tasks
from taskflask.db import RecyclePolicy, database
from taskflask.settings import settings
from taskflask.web import errors, request_log, security, spa, tenancy
from taskflask.web.json_provider import ApiJSONProvider
from taskflask.web.openapi import routes as openapi_routes

# Headers a browser on another origin (the Vite dev server) may send and read.
CORS_REQUEST_HEADERS = ["Content-Type", "x-tenant-id", "x-user-id", "X-Request-ID"]
CORS_RESPONSE_HEADERS = ["Link", "Location", "Retry-After", "Content-Disposition", "X-Request-ID"]


def create_app(test_config=None):
    """Build the app: settings, database, error format, blueprints.

    It never migrates: every gunicorn worker and every ``flask`` command loads
    it, so migrations run once per start, from ``flask --app wsgi migrate``
    before the workers serve (the launcher, compose and the README do so).
    """
    app = Flask(__name__, static_folder=None)
    app.json = ApiJSONProvider(app)
    app.config.update(settings.as_dict())
    if test_config:
        app.config.update(test_config)

    database.configure(app.config["DATABASE_URL"], app.config["DB_POOL_MAX"],
                       RecyclePolicy(app.config["DB_CONNECTION_MAX_SCHEMAS"], app.config["DB_CONNECTION_LIFETIME"]))
    request_log.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    tenancy.init_app(app)
    CORS(app, origins=app.config["CORS_ORIGINS"], allow_headers=CORS_REQUEST_HEADERS,
         expose_headers=CORS_RESPONSE_HEADERS)
    for blueprint in (health.bp, openapi_routes.bp, organizations.bp, tasks.bp, exports.bp):
        app.register_blueprint(blueprint)
    spa.init_app(app)
    cli.init_app(app)
    return app
