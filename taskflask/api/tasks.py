"""Tasks of the tenant named by x-tenant-id."""
from flask import Blueprint, g, request

from taskflask.api.input import json_body, query_args
from taskflask.data.tasks import create_task, list_tasks, update_task
from taskflask.web.errors import not_found
from taskflask.web.json_provider import json_array_response
from taskflask.web.openapi import documented
from taskflask.web.pagination import decode_cursor, encode_cursor
from taskflask.web.schemas import TaskCreateSchema, TaskListQuerySchema, TaskSchema, TaskUpdateSchema
from taskflask.web.tenancy import load_tenant_from_headers, user_required

bp = Blueprint("tasks", __name__, url_prefix="/tasks")
bp.before_request(load_tenant_from_headers)
# marshmallow schemas keep no state between loads: build them once.
LIST_QUERY, CREATE_BODY, UPDATE_BODY = TaskListQuerySchema(), TaskCreateSchema(), TaskUpdateSchema()


@bp.get("")
@documented("List tasks, newest first (Link: rel=\"next\" for the next page)", "tenant", answer=TaskSchema,
            many=True, query=TaskListQuerySchema)
def list_page():
    """A page of tasks, newest first; Link: rel="next" points at the following page."""
    args = query_args(LIST_QUERY)
    after = decode_cursor(args["cursor"]) if args["cursor"] else None
    tasks, next_key = list_tasks(g.db, args["limit"], args["status"], after)
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
    return f"{request.script_root}{request.path}?limit={args['limit']}{status}&cursor={encode_cursor(*next_key)}"


@bp.post("")
@documented("Create a task", "user", answer=TaskSchema, status=201, body=TaskCreateSchema)
@user_required
def create():
    """Add a task created by the current user."""
    data = json_body(CREATE_BODY)
    return create_task(g.db, data["title"], data["description"], g.user.id), 201


@bp.patch("/<uuid:task_id>")
@documented("Update a task; an empty body marks it completed", "user", answer=TaskSchema, body=TaskUpdateSchema)
@user_required
def update(task_id):
    """Change a task; an empty body marks it completed."""
    changes = json_body(UPDATE_BODY) or {"status": "completed"}
    task = update_task(g.db, str(task_id), changes)
    if task is None:
        raise not_found("task")
    return task
