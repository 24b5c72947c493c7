"""Organizations (tenants) and their users.

Creating and deleting organizations and adding users need the operator key
when one is set (ADMIN_TOKEN); deleting also needs an admin of that very
organization (x-tenant-id and x-user-id), besides its schema name as confirmation.
A deletion answers once the organization is unregistered; a background job
drops its schema and export files.
"""
from urllib.parse import quote

from flask import Blueprint, current_app, g, request
from psycopg2 import errors as pg_errors
from redis import RedisError

from taskflask.data.organizations import (
    create_organization,
    get_organization,
    list_organizations,
    lock_organization,
    search_organizations,
    unregister_organization,
)
from taskflask.data.tenancy import enter_schema
from taskflask.data.users import create_user, list_users, user_role
from taskflask.db import database
from taskflask.tenants.jobs import enqueue_schema_drop
from taskflask.web.errors import ApiError, not_found
from taskflask.web.input import json_body, query_args, request_body
from taskflask.web.openapi.operations import documented
from taskflask.web.operator_key import operator_only
from taskflask.web.pagination import decode_name_cursor, encode_name_cursor
from taskflask.web.schemas import (
    OrganizationCreateSchema,
    OrganizationDeleteSchema,
    OrganizationListQuerySchema,
    OrganizationSchema,
    UserCreateSchema,
    UserSchema,
)
from taskflask.web.tenancy import TENANT_HEADER, USER_HEADER, header_uuid, open_tenant

bp = Blueprint("organizations", __name__, url_prefix="/organizations")
LIST_QUERY = OrganizationListQuerySchema()
# Any of these asks for a page; a request with none of them gets the seed's answer, every organization.
PAGE_PARAMETERS = frozenset(LIST_QUERY.fields)


@bp.get("")
@documented("Search organizations by name or schema name, a page in name order (Link: rel=\"next\"); "
            "without parameters every organization, oldest first", "public", answer=OrganizationSchema,
            many=True, query=OrganizationListQuerySchema, errors=(400,))
def list_all():
    """A page of the organizations matching ?q= in name order, or every one, oldest first, without parameters."""
    if PAGE_PARAMETERS.isdisjoint(request.args.keys()):
        with database.transaction(read_only=True) as cur:
            return list_organizations(cur)
    args = query_args(LIST_QUERY)
    after = decode_name_cursor(args["cursor"]) if args["cursor"] else None
    with database.transaction(read_only=True) as cur:
        organizations, next_key = search_organizations(cur, args["q"], args["limit"], after)
    headers = {"Link": f'<{next_page_url(args, next_key)}>; rel="next"'} if next_key else {}
    return organizations, 200, headers


def next_page_url(args, next_key):
    """This search's URL with the cursor that follows ``next_key``."""
    search = f"&q={quote(args['q'], safe='')}" if args["q"] else ""
    return (f"{request.script_root}{request.path}?limit={args['limit']}{search}"
            f"&cursor={encode_name_cursor(*next_key)}")


@bp.get("/<uuid:organization_id>")
@documented("One organization", "public", answer=OrganizationSchema)
def get_one(organization_id):
    """The organization, or 404."""
    with database.transaction(read_only=True) as cur:
        organization = get_organization(cur, str(organization_id))
    if organization is None:
        raise not_found("organization")
    return organization


@bp.post("")
@documented("Create an organization and its schema", "public", answer=OrganizationSchema, status=201,
            body=OrganizationCreateSchema, errors=(409,))
@operator_only
def create():
    """Register an organization and create its schema."""
    data = json_body(OrganizationCreateSchema())
    try:
        with database.transaction() as cur:
            organization = create_organization(cur, data["name"], data["schema_name"],
                                               distributed=current_app.config["CITUS"])
    except (pg_errors.UniqueViolation, pg_errors.DuplicateSchema):
        raise ApiError(409, "conflict", f"The schema name {data['schema_name']!r} is already taken.",
                       {"schemaName": ["Already taken."]}) from None
    return organization, 201


@bp.delete("/<uuid:organization_id>")
@documented("Delete an organization with its schema and export files: an admin of it, repeating its schema name",
            "admin", answer=OrganizationSchema, body=OrganizationDeleteSchema, errors=(409,))
@operator_only
def delete(organization_id):
    """Unregister the organization and queue the drop of its schema and export files; answers what was deleted."""
    organization_id = str(organization_id)
    request_body()  # all of it before a database connection is taken
    admin_id = header_uuid(USER_HEADER, required=True)
    if header_uuid(TENANT_HEADER, required=True) != organization_id:
        raise ApiError(403, "forbidden", f"The {TENANT_HEADER} header must name the organization to delete.")
    with database.transaction() as cur:
        organization = lock_organization(cur, organization_id)
        if organization is None:
            raise not_found("organization")
        schema = organization["schemaName"]
        require_admin(cur, schema, admin_id)
        if json_body(OrganizationDeleteSchema())["schema_name"] != schema:
            raise ApiError(409, "confirmation_mismatch",
                           "The schemaName in the body must repeat the organization's schema name.",
                           {"schemaName": ["Does not match."]})
        unregister_organization(cur, organization_id, schema)
    try:
        enqueue_schema_drop(schema)
    except RedisError as error:
        # Deleted all the same (it is 404 already): the schema waits in schema_drops for `tenants purge`.
        current_app.logger.warning("organization %s deleted but the drop of schema %s was not queued (%s); "
                                   "run `flask --app wsgi tenants purge`", organization_id, schema, error)
    return organization


def require_admin(cur, schema, user_id):
    """403 unless ``user_id`` is an admin of the tenant ``schema`` (in the caller's transaction)."""
    enter_schema(cur, schema)
    try:
        role = user_role(cur, user_id)
    except pg_errors.UndefinedTable:  # a schema left without its tables has no admin
        role = None
    if role != "admin":
        raise ApiError(403, "forbidden", "Only an admin of this organization can delete it.")


@bp.get("/<uuid:organization_id>/users")
@documented("List the users of an organization", "public", answer=UserSchema, many=True)
def users(organization_id):
    """Every user of the organization."""
    open_tenant(str(organization_id))
    return list_users(g.db)


@bp.post("/<uuid:organization_id>/users")
@documented("Add a user to an organization", "public", answer=UserSchema, status=201, body=UserCreateSchema,
            errors=(409,))
@operator_only
def add_user(organization_id):
    """Add a user to the organization."""
    data = json_body(UserCreateSchema())
    open_tenant(str(organization_id))
    try:
        return create_user(g.db, data["name"], data["email"], data["role"]), 201
    except pg_errors.UniqueViolation:
        raise ApiError(409, "conflict", "A user with this email already exists in this organization.",
                       {"email": ["Already taken."]}) from None
