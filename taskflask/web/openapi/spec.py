"""The OpenAPI 3.1 document, built from the marshmallow schemas and the views' declarations."""
from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from taskflask.web import schemas

ERROR_DESCRIPTIONS = {
    400: "Invalid input, header or JSON (see `errors` per field)",
    401: "The operator key is missing or wrong (`Authorization: Bearer <ADMIN_TOKEN>`)",
    403: "x-user-id names no user of this organization, or one who is not an admin where one is needed "
         "(deleting a task: neither an admin nor its creator)",
    404: "No such organization or object",
    408: "The body did not arrive within the server's read timeout",
    409: "Conflict with stored data",
    410: "The export's file is gone",
    413: "Body larger than 1 MiB",
    414: "The request line (method, path and query string) is longer than the server accepts",
    415: "Body is not JSON",
    429: "An export of this organization is still running (its id is in `exportId`)",
    431: "The request headers are too many or too large",
    503: "PostgreSQL or Redis unreachable, or the organization's schema is being upgraded; "
         "retry after `Retry-After` seconds",
}
# OpenAPI links: how an answer's ids feed the next requests (clients and Schemathesis' stateful
# phase follow them). Keyed by the endpoint that answers; each link names its target's operationId.
TENANT_OF_PATH = {"header.x-tenant-id": "$request.path.organization_id"}
AS_REQUEST_USER = {"header.x-tenant-id": "$request.header.x-tenant-id", "header.x-user-id": "$request.header.x-user-id"}
LINKS = {
    "organizations.create": {
        "GetOrganization": ("organizations.get_one", {"organization_id": "$response.body#/id"}),
        "AddUser": ("organizations.add_user", {"organization_id": "$response.body#/id"}),
        "ListUsers": ("organizations.users", {"organization_id": "$response.body#/id"}),
        "ListTasks": ("tasks.list_page", {"header.x-tenant-id": "$response.body#/id"}),
    },
    "organizations.add_user": {
        "CreateTask": ("tasks.create", {**TENANT_OF_PATH, "header.x-user-id": "$response.body#/id"}),
        "ListTasks": ("tasks.list_page", {**TENANT_OF_PATH, "header.x-user-id": "$response.body#/id"}),
        "StartExport": ("exports.start", {**TENANT_OF_PATH, "header.x-user-id": "$response.body#/id"}),
        "ListExports": ("exports.list_recent", {**TENANT_OF_PATH, "header.x-user-id": "$response.body#/id"}),
        "DeleteOrganization": ("organizations.delete", {"organization_id": "$request.path.organization_id",
                                                        **TENANT_OF_PATH, "header.x-user-id": "$response.body#/id"}),
    },
    "tasks.create": {
        "UpdateTask": ("tasks.update", {"task_id": "$response.body#/id", **AS_REQUEST_USER}),
        "DeleteTask": ("tasks.delete", {"task_id": "$response.body#/id", **AS_REQUEST_USER}),
    },
    "exports.start": {
        "GetExport": ("exports.status", {"export_id": "$response.body#/exportId", **AS_REQUEST_USER}),
        "DownloadExport": ("exports.download", {"export_id": "$response.body#/exportId", **AS_REQUEST_USER}),
    },
}

RESPONSE_SCHEMAS = {
    "Organization": schemas.OrganizationSchema, "User": schemas.UserSchema, "Task": schemas.TaskSchema,
    "TaskCounts": schemas.TaskCountsSchema, "Export": schemas.ExportSchema,
    "ExportCreated": schemas.ExportCreatedSchema,
    "Error": schemas.ErrorSchema,
    "Health": schemas.HealthSchema,
}
OPERATOR_KEY_SCHEME = {
    "type": "http", "scheme": "bearer",
    "description": "The operator key, ADMIN_TOKEN. When the server has one, creating and deleting organizations "
                   "and adding users need `Authorization: Bearer <ADMIN_TOKEN>`; without one those routes are "
                   "open (for local use) and the document lists no security requirement on them.",
}


def header_parameters(access):
    """The tenant and user headers a route of ``access`` takes."""
    if access == "public":
        return []
    return [
        {"in": "header", "name": "x-tenant-id", "required": True, "description": "Organization id",
         "schema": {"type": "string", "format": "uuid"}},
        {"in": "header", "name": "x-user-id", "required": access != "tenant",
         "description": "A user of that organization" + (" with role admin" if access == "admin" else ""),
         "schema": {"type": "string", "format": "uuid"}},
    ]


def error_statuses(operation, has_path_id, operator_key_set):
    """The error statuses an operation can answer, from what it takes and who may call it."""
    # 414 and 431 come from gunicorn, before the app sees the request.
    statuses = set(operation.errors) | {414, 431, 503}
    if operation.access != "public" or has_path_id:
        statuses |= {400, 404}
    if operation.access != "public":  # an x-user-id, even an optional one, must name a user of the tenant
        statuses.add(403)
    if operation.body:
        statuses |= {400, 408, 413, 415}
    if operation.operator_key and operator_key_set:
        statuses.add(401)
    return sorted(statuses)


def body_is_required(body):
    """A body with a required field: a missing body is 400, so the document says required."""
    return any(item.required for item in body().fields.values())


def operation_dict(operation, path_ids, operator_key_set=False, endpoint=None):
    """One OpenAPI operation object; ``endpoint`` (the Flask endpoint) is its operationId."""
    parameters = header_parameters(operation.access)
    parameters += [{"in": "path", "name": name, "required": True, "schema": {"type": "string", "format": "uuid"}}
                   for name in path_ids]
    if operation.query:
        parameters.append({"in": "query", "schema": operation.query})
    if operation.status == 204:
        content = None
    elif operation.answer is None:
        content = {operation.content_type: {"schema": {"type": "string"}}}
    else:
        item = operation.answer
        content = {"application/json": {"schema": {"type": "array", "items": item} if operation.many else item}}
    responses = {str(operation.status): {"description": operation.summary}}
    if content:
        responses[str(operation.status)]["content"] = content
    if endpoint in LINKS:
        responses[str(operation.status)]["links"] = {
            name: {"operationId": target, "parameters": values} for name, (target, values) in LINKS[endpoint].items()}
    for status in error_statuses(operation, bool(path_ids), operator_key_set):
        responses[str(status)] = {"description": ERROR_DESCRIPTIONS.get(status, "Error"),
                                  "content": {"application/json": {"schema": "Error"}}}
    document = {"summary": operation.summary, "parameters": parameters, "responses": responses,
                "x-access": operation.access}
    if endpoint:
        document["operationId"] = endpoint
    if operation.body:
        document["requestBody"] = {"required": body_is_required(operation.body),
                                   "content": {"application/json": {"schema": operation.body}}}
    if operation.operator_key and operator_key_set:
        document["security"] = [{"operatorKey": []}]
    return document


def documented_routes(app):
    """(rule, method, operation) for every route that declares an Operation."""
    for rule in app.url_map.iter_rules():
        operation = getattr(app.view_functions[rule.endpoint], "operation", None)
        if operation is None:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method, operation


def openapi_path(rule):
    """/tasks/<uuid:task_id> -> (/tasks/{task_id}, [task_id])."""
    return rule.rule.replace("<uuid:", "{").replace(">", "}"), list(rule.arguments)


def build_spec(app):
    """The whole document as a dict."""
    spec = APISpec(title="taskflask", version="1.0.0", openapi_version="3.1.0",
                   plugins=[MarshmallowPlugin()],
                   info={"description": "Multi-tenant task manager: one PostgreSQL schema per organization."})
    for name, schema in RESPONSE_SCHEMAS.items():
        spec.components.schema(name, schema=schema)
    spec.components.security_scheme("operatorKey", OPERATOR_KEY_SCHEME)
    operator_key_set = bool(app.config.get("ADMIN_TOKEN"))
    paths = {}
    for rule, method, operation in documented_routes(app):
        path, path_ids = openapi_path(rule)
        paths.setdefault(path, {})[method.lower()] = operation_dict(operation, path_ids, operator_key_set,
                                                                    rule.endpoint)
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()
