"""Tasks of the tenant named by x-tenant-id."""
from urllib.parse import quote

from flask import Blueprint, g, request

from taskflask.data.tasks import count_tasks, create_task, delete_task, list_tasks, update_task
from taskflask.web.errors import ApiError, not_found
from taskflask.web.input import json_body, query_args
from taskflask.web.json_provider import json_array_response
from taskflask.web.openapi.operations import documented
from taskflask.web.pagination import decode_cursor, encode_cursor
from taskflask.web.schemas import (
    TaskCountsQuerySchema,
    TaskCountsSchema,
    TaskCreateSchema,
    TaskListQuerySchema,
    TaskSchema,
    TaskUpdateSchema,
)
from taskflask.web.tenancy import load_tenant_from_headers, reads_once, user_required

bp = Blueprint("tasks", __name__, url_prefix="/tasks")
bp.before_request(load_tenant_from_headers)
# marshmallow schemas keep no state between loads: build them once.
LIST_QUERY, COUNTS_QUERY = TaskListQuerySchema(), TaskCountsQuerySchema()
CREATE_BODY, UPDATE_BODY = TaskCreateSchema(), TaskUpdateSchema()


@bp.get("")
@documented("List tasks, newest first (Link: rel=\"next\" for the next page); q searches titles and "
            "descriptions", "tenant", answer=TaskSchema, many=True, query=TaskListQuerySchema)
@reads_once
def list_page():
    """A page of tasks, newest first; Link: rel="next" points at the following page."""
    args = query_args(LIST_QUERY)
    after = decode_cursor(args["cursor"]) if args["cursor"] else None
    tasks, next_key = list_tasks(g.db, args["limit"], args["status"], after, args["q"])
    headers = {}
    if next_key:
        headers["Link"] = f'<{next_page_url(args, next_key)}>; rel="next"'
    return json_array_response(tasks, headers)


def next_page_url(args, next_key):
    """This page's URL with the cursor that follows ``next_key``.

    Built by hand: url_for binds a URL adapter and walks the routing rules, and
    urlencode quotes what needs no quoting (an integer, a status name and a
    URL-safe base64 cursor).
    """
    status = f"&status={args['status']}" if args["status"] else ""
    search = f"&q={quote(args['q'], safe='')}" if args["q"] else ""
    return (f"{request.script_root}{request.path}?limit={args['limit']}{status}{search}"
            f"&cursor={encode_cursor(*next_key)}")


@bp.get("/counts")
@documented("Count tasks in all and by status (of a search: each up to 500, then capped is true)", "tenant",
            answer=TaskCountsSchema, query=TaskCountsQuerySchema)
@reads_once
def counts():
    """The numbers on the status filters, for all tasks or for a search."""
    return count_tasks(g.db, query_args(COUNTS_QUERY)["q"])


@bp.post("")
@documented("Create a task", "user", answer=TaskSchema, status=201, body=TaskCreateSchema)
@user_required
def create():
    """Add a task created by the current user."""
    data = json_body(CREATE_BODY)
    task = create_task(g.db, data["title"], data["description"], g.user.id)
    if task is None:  # the user was checked in this transaction: only a user gone since gets here
        raise not_found("user")
    return task, 201


@bp.patch("/<uuid:task_id>")
@documented("Update a task; an empty body marks it completed, status \"pending\" reopens it", "user",
            answer=TaskSchema, body=TaskUpdateSchema)
@user_required
def update(task_id):
    """Change a task; an empty body marks it completed."""
    changes = json_body(UPDATE_BODY) or {"status": "completed"}
    task = update_task(g.db, str(task_id), changes)
    if task is None:
        raise not_found("task")
    return task


@bp.delete("/<uuid:task_id>")
@documented("Delete a task (its creator or an admin)", "user", status=204)
@user_required
def delete(task_id):
    """Delete a task for good."""
    outcome = delete_task(g.db, str(task_id), g.user.id, g.user.role == "admin")
    if outcome == "missing":
        raise not_found("task")
    if outcome == "forbidden":
        raise ApiError(403, "forbidden", "Only the task's creator or an admin can delete it.")
    return "", 204
