"""``create-org``, ``create-user`` and ``seed-demo``: set up tenants without curl."""
import click
from flask import current_app
from flask.cli import with_appcontext
from marshmallow import ValidationError
from psycopg2 import errors as pg_errors

from taskflask.data.demo import insert_demo_tasks
from taskflask.data.organizations import create_organization, schema_by_id_or_name
from taskflask.data.users import create_user
from taskflask.db import database
from taskflask.web.schemas import OrganizationCreateSchema, UserCreateSchema

DEMO_TASKS = 1000


def validated(schema, data):
    """Load ``data`` through ``schema`` or stop with the field messages."""
    try:
        return schema.load(data)
    except ValidationError as error:
        raise click.ClickException("; ".join(f"{field}: {' '.join(messages)}"
                                             for field, messages in error.messages.items())) from None


def find_schema(cur, organization):
    """The schema of an organization given by id or by schema name."""
    schema = schema_by_id_or_name(cur, organization)
    if schema is None:
        raise click.ClickException(f"no organization {organization!r}")
    return schema


def add_organization(name, schema_name):
    data = validated(OrganizationCreateSchema(), {"name": name, "schemaName": schema_name})
    try:
        with database.transaction() as cur:
            return create_organization(cur, data["name"], data["schema_name"],
                                       distributed=current_app.config["CITUS"])
    except (pg_errors.UniqueViolation, pg_errors.DuplicateSchema):
        raise click.ClickException(f"the schema name {schema_name!r} is already taken") from None


def add_user(schema, name, email, role):
    data = validated(UserCreateSchema(), {"name": name, "email": email, "role": role})
    try:
        with database.transaction(schema) as cur:
            return create_user(cur, data["name"], data["email"], data["role"])
    except pg_errors.UniqueViolation:
        raise click.ClickException(f"{email} is already a user of this organization") from None


@click.command("create-org")
@click.argument("name")
@click.argument("schema_name")
@with_appcontext
def create_org_command(name, schema_name):
    """Create organization NAME with its schema SCHEMA_NAME; prints its id."""
    organization = add_organization(name, schema_name)
    click.echo(f"{organization['id']}  {organization['schemaName']}  {organization['name']}")


@click.command("create-user")
@click.argument("organization")
@click.argument("name")
@click.argument("email")
@click.option("--role", type=click.Choice(["admin", "member"]), default="member", show_default=True)
def create_user_command(organization, name, email, role):
    """Add a user to ORGANIZATION (its id or schema name); prints the user's id."""
    with database.transaction(read_only=True) as cur:
        schema = find_schema(cur, organization)
    user = add_user(schema, name, email, role)
    click.echo(f"{user['id']}  {user['role']}  {user['email']}")


@click.command("seed-demo")
@click.option("--schema", "schema_name", default="demo", show_default=True)
@with_appcontext
def seed_demo_command(schema_name):
    """Create a demo organization with an admin, a member and a thousand tasks."""
    organization = add_organization("Demo Company", schema_name)
    admin = add_user(schema_name, "Ada Admin", "ada@demo.example", "admin")
    member = add_user(schema_name, "Max Member", "max@demo.example", "member")
    with database.transaction(schema_name) as cur:
        insert_demo_tasks(cur, admin["id"], member["id"], DEMO_TASKS)
    click.echo(f"organization {organization['id']} ({schema_name})")
    click.echo(f"admin  {admin['id']}  {admin['email']}")
    click.echo(f"member {member['id']}  {member['email']}")
    click.echo(f"{DEMO_TASKS} tasks")
