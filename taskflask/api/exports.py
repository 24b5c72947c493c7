"""CSV exports of the tenant's tasks (admins only)."""
from flask import Blueprint, current_app, g, send_file
from psycopg2 import errors as pg_errors
from redis import RedisError

from taskflask.data.exports import active_export, create_export, fail_export, get_export, list_exports
from taskflask.db import database
from taskflask.exports.jobs import enqueue_export, huey
from taskflask.exports.writer import export_path
from taskflask.web.errors import ApiError, not_found
from taskflask.web.openapi import documented
from taskflask.web.schemas import ExportCreatedSchema, ExportSchema
from taskflask.web.tenancy import admin_required, commit_tenant_transaction, load_tenant_from_headers

bp = Blueprint("exports", __name__)
bp.before_request(load_tenant_from_headers)


@bp.post("/tasks/export")
@documented("Start a CSV export of every task (one at a time per organization)", "admin",
            answer=ExportCreatedSchema, status=202, errors=(429,))
@admin_required
def start():
    """Record a pending export, then queue its job (the row must exist before the worker looks)."""
    running = active_export(g.db)
    if running:
        raise export_in_progress(running)
    try:
        export_id = create_export(g.db, g.tenant.schema, g.user.id, huey.name)
    except pg_errors.UniqueViolation:  # another request started one a moment ago
        raise export_in_progress(None) from None
    commit_tenant_transaction()
    try:
        job_id = enqueue_export(g.tenant.schema, export_id)
    except RedisError as error:
        with database.transaction(g.tenant.schema) as cur:
            fail_export(cur, export_id, "The job queue was unavailable.")
        current_app.logger.warning("export %s not queued: %s", export_id, error)
        raise ApiError(503, "queue_unavailable", "The job queue is unavailable; try again shortly.",
                       headers={"Retry-After": "5"}) from None
    return {"exportId": export_id, "jobId": job_id}, 202, {"Location": f"/exports/{export_id}"}


@bp.get("/exports")
@documented("List the newest exports", "admin", answer=ExportSchema, many=True)
@admin_required
def list_recent():
    """The tenant's newest exports."""
    return list_exports(g.db)


@bp.get("/exports/<uuid:export_id>")
@documented("Get an export's status", "admin", answer=ExportSchema)
@admin_required
def status(export_id):
    """One export's state; fileUrl once it is completed."""
    return get_export(g.db, str(export_id)) or _missing()


@bp.get("/exports/<uuid:export_id>/download")
@documented("Download a completed export as CSV", "admin", content_type="text/csv", errors=(409, 410))
@admin_required
def download(export_id):
    """The completed export's CSV, sent straight from disk."""
    export = get_export(g.db, str(export_id)) or _missing()
    if export["status"] == "expired":
        raise ApiError(410, "export_expired", "The export's file has expired; start a new export.")
    if export["status"] != "completed":
        raise ApiError(409, "export_not_ready",
                       f"The export is {export['status']}; it can be downloaded once completed.")
    path = export_path(current_app.config["EXPORTS_DIR"], g.tenant.schema, export_id)
    if not path.is_file():
        raise ApiError(410, "export_file_gone", "The export's file no longer exists; start a new export.")
    return send_file(path, mimetype="text/csv", as_attachment=True,
                     download_name=f"tasks-{export_id}.csv", max_age=0)


def export_in_progress(running):
    """429 naming the organization's export that is still pending or processing."""
    if running is None:
        return ApiError(429, "export_in_progress", "Another export has just started; wait for it to finish.",
                        headers={"Retry-After": "5"})
    return ApiError(429, "export_in_progress",
                    f"Export {running['id']} is still {running['status']}; start another once it has finished.",
                    headers={"Retry-After": "5"}, extra={"exportId": running["id"]})


def _missing():
    raise not_found("export")
