"""Serves the built React app (frontend/dist) at / when it exists, on the API's origin."""
from flask import Blueprint, current_app, send_from_directory

from taskflask.web.errors import not_found

bp = Blueprint("spa", __name__)
# Vite puts a content hash in every asset name, so they never change.
ASSET_MAX_AGE = 365 * 24 * 3600


def dist():
    return current_app.config["FRONTEND_DIST"]


@bp.get("/")
def index():
    """The app's page; never cached so that a deploy shows up at once."""
    if not (dist() / "index.html").is_file():
        raise not_found("page")
    return send_from_directory(dist(), "index.html", max_age=0)


@bp.get("/assets/<path:filename>")
def asset(filename):
    """Hashed JavaScript, CSS and images."""
    return send_from_directory(dist() / "assets", filename, max_age=ASSET_MAX_AGE)


@bp.get("/<any(favicon.svg, favicon.ico, robots.txt):filename>")
def top_level_file(filename):
    """The few unhashed files Vite copies from public/."""
    return send_from_directory(dist(), filename, max_age=3600)


def init_app(app):
    app.register_blueprint(bp)
