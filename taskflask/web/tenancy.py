"""Who is asking: x-tenant-id and x-user-id resolved into ``g`` before a tenant request.

A tenant request holds one transaction whose first round trip is
``BEGIN; <enter the tenant's schema>; <check>``: its first statement sets the
search_path to the schema the registry names for x-tenant-id (data.tenancy),
so nothing is looked up before it, and the check confirms the organization
still exists, names its schema and looks up the user's role. A view whose work
is one read (``reads_once``) holds none: the check rides in its single
statement, ``<enter the tenant's schema>; <check beside the read>``, one round
trip in autocommit, and is judged before any row is used. Once the process
knows the tenant's schema name (from the registry, read once, or an earlier
check), the entering function makes the check itself and refuses with an
error, and the read goes alone: ``<enter the tenant's schema and check>; <read>``.
"""
import re
from dataclasses import dataclass
from functools import wraps

import psycopg2
from flask import current_app, g, request
from psycopg2 import errors as pg_errors

from taskflask.data.tenancy import (
    begin_tenant_request,
    known_schema,
    read_in_known_schema,
    read_with_tenant_check,
    refusal,
)
from taskflask.db import CONNECTION_ERRORS, RequestTransaction, database
from taskflask.tenants.migrations import latest_version
from taskflask.web.errors import ApiError, not_found, retry_later
from taskflask.web.input import request_body

TENANT_HEADER = "x-tenant-id"
USER_HEADER = "x-user-id"
CANONICAL_UUID = re.compile(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")


@dataclass(frozen=True)
class Tenant:
    id: str
    schema: str


@dataclass(frozen=True)
class CurrentUser:
    id: str
    role: str


def header_uuid(name, required):
    """The UUID in header ``name`` as a string; 400 when missing (if required) or not a UUID.

    A header that is sent must hold a UUID in its usual 8-4-4-4-12 form, even
    where the header is optional: an empty one is a client's mistake, not an absence.
    """
    value = request.headers.get(name)
    if value is None or (required and not value.strip()):
        if required:
            raise ApiError(400, "missing_header", f"The {name} header is required.")
        return None
    value = value.strip()
    if not CANONICAL_UUID.fullmatch(value):
        raise ApiError(400, "invalid_header", f"The {name} header must be a UUID.")
    return value.lower()  # the form str(uuid.UUID(value)) gives, without building one


def organization_gone():
    return not_found("organization")


def organization_upgrading():
    return retry_later(503, "tenant_upgrading", "This organization's data is being upgraded; try again shortly.")


def stranger():
    return ApiError(403, "forbidden", f"The {USER_HEADER} header names no user of this organization.")


# What each refusal of the entering function (data.tenancy.refusal) answers.
REFUSED = {"gone": organization_gone, "behind": organization_upgrading, "stranger": stranger}


def admit(tenant_id, user_id, row):
    """Judge the tenant check's ``row`` (None: the schema is gone); sets g.tenant and g.user.

    404 when the organization is gone, 503 while its schema is behind the code,
    403 when x-user-id names no user of it.
    """
    if row is None or row["schema_version"] is None:
        raise organization_gone()
    if row["schema_version"] < latest_version("tenant"):
        raise organization_upgrading()
    if user_id is not None and row["role"] is None:
        raise stranger()
    seat(tenant_id, row["schema_name"], user_id, row["role"])


def seat(tenant_id, schema, user_id, role):
    """Set g.tenant and g.user for an admitted request."""
    g.tenant = Tenant(tenant_id, schema)
    g.user = CurrentUser(user_id, role) if user_id else None


def open_tenant(tenant_id, user_id=None):
    """Start the request's transaction in the tenant's schema; sets g.tenant, g.user, g.db."""
    g.tenant_tx = transaction = RequestTransaction(database)
    try:
        row = begin_tenant_request(transaction, tenant_id, user_id, distributed=current_app.config["CITUS"])
    except pg_errors.UndefinedTable:
        row = None  # no such organization (pg_catalog only), or its schema was dropped with it
    admit(tenant_id, user_id, row)
    g.db = transaction.cursor


class TenantRead:
    """g.db of a ``reads_once`` view: runs its read with the tenant check in one statement, no transaction held."""

    def __init__(self, tenant_id, user_id):
        self.tenant_id, self.user_id = tenant_id, user_id
        self.checked = False  # whether the check has been sent (with a read, or alone)

    def rows(self, query, params):
        """The rows (tuples) of the read ``query``, once the check that came with them admits the request."""
        self.checked = True
        schema = known_schema(database, self.tenant_id)
        try:
            if schema is not None:
                rows = read_in_known_schema(database, schema, self.tenant_id, self.user_id, latest_version("tenant"),
                                            query, params)
                # Admitted as a user of the tenant; a reads_once view serves any of them, so the role is not read.
                seat(self.tenant_id, schema, self.user_id, None)
                return rows
            check, rows = read_with_tenant_check(database, self.tenant_id, self.user_id, query, params,
                                                 distributed=current_app.config["CITUS"])
        except psycopg2.DatabaseError as error:
            if isinstance(error, CONNECTION_ERRORS):
                raise
            refused = refusal(error)
            if refused:
                raise REFUSED[refused]() from None
            # The check alone says first what it would have refused: an unknown tenant or a dropped schema (404), one
            # behind the code (503, where the read may name what it lacks yet), a stranger (403).
            self.check_alone()
            raise
        admit(self.tenant_id, self.user_id, check)
        return rows

    def check_alone(self):
        """Run the tenant check in a transaction of its own (the usual way), for its 404, 503 or 403."""
        self.checked = True
        open_tenant(self.tenant_id, self.user_id)


def reads_once(view):
    """The view's database work is one read through g.db.rows(), which carries the tenant check (TenantRead).

    For views any caller of the tenant may use (no user_required): the user's
    role is known only once the read is back. A view that refuses its input
    before reading still answers the check's refusals first, as every tenant view does.
    """
    @wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except Exception:
            if not g.db.checked:
                g.db.check_alone()
            raise
    wrapper.reads_once = True  # read by load_tenant_from_headers
    return wrapper


def load_tenant_from_headers():
    """before_request of the tenant blueprints (a CORS preflight carries no tenant).

    Headers are checked before anything is looked up (a missing x-user-id is 400 even for an
    unknown tenant), and the body is read before a database connection is taken, so a slow
    client never holds one.
    """
    if request.method == "OPTIONS":
        return
    tenant_id = header_uuid(TENANT_HEADER, required=True)
    view = current_app.view_functions.get(request.endpoint)
    user_id = header_uuid(USER_HEADER, required=getattr(view, "needs_user", False))
    request_body()
    if getattr(view, "reads_once", False):
        g.db = TenantRead(tenant_id, user_id)
    else:
        open_tenant(tenant_id, user_id)


def end_tenant_transaction(response):
    """after_request: commit a successful request's transaction, roll back a failed one."""
    transaction = g.pop("tenant_tx", None)
    if transaction is not None:
        transaction.release(commit=response.status_code < 400)
    return response


def commit_tenant_transaction():
    """Commit now and give the connection back; the rest of the request runs without it."""
    transaction = g.pop("tenant_tx")
    transaction.release(commit=True)


def release_tenant_transaction(_error=None):
    """teardown_request: never keep a connection past the request, whatever happened."""
    transaction = g.pop("tenant_tx", None)
    if transaction is not None:
        transaction.release()


def user_required(view):
    """The view needs an x-user-id of this tenant."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        if g.user is None:
            raise ApiError(400, "missing_header", f"The {USER_HEADER} header is required.")
        return view(*args, **kwargs)
    wrapper.needs_user = True  # read by load_tenant_from_headers
    return wrapper


def admin_required(view):
    """The view needs an x-user-id of an admin of this tenant."""
    @wraps(view)
    @user_required
    def wrapper(*args, **kwargs):
        if g.user.role != "admin":
            raise ApiError(403, "forbidden", "Only an admin of this organization can do this.")
        return view(*args, **kwargs)
    return wrapper


def init_app(app):
    """Make sure every request gives back its connection."""
    app.after_request(end_tenant_transaction)
    app.teardown_request(release_tenant_transaction)
