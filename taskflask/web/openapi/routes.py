"""The blueprint that serves the document at /openapi.json and a readable page of it at /docs."""
from flask import Blueprint, current_app, render_template

from taskflask.web.openapi.spec import build_spec

bp = Blueprint("openapi", __name__, template_folder="templates")


@bp.get("/openapi.json")
def openapi_json():
    """The API's OpenAPI 3.1 document."""
    if "openapi_spec" not in current_app.extensions:
        current_app.extensions["openapi_spec"] = build_spec(current_app)
    return current_app.extensions["openapi_spec"]


@bp.get("/docs")
def docs():
    """A readable page of the API, made from the same document."""
    return render_template("openapi/docs.html", spec=openapi_json())
