"""Organizations made through the API, and what tests ask of their schemas."""
import uuid

from psycopg2 import sql


def unique_schema(prefix="t"):
    """A schema name no other test uses."""
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


class TenantFixture:
    """An organization with one admin and one member, and their request headers."""

    def __init__(self, client, prefix="t"):
        self.client = client
        response = client.post("/organizations", json={"name": "Org " + prefix, "schemaName": unique_schema(prefix)})
        assert response.status_code == 201, response.json
        self.org = response.json
        self.id = self.org["id"]
        self.schema = self.org["schemaName"]
        self.admin = self.add_user("Alice", "admin")
        self.member = self.add_user("Bob", "member")

    def add_user(self, name, role):
        email = f"{name.lower()}.{uuid.uuid4().hex[:6]}@example.com"
        response = self.client.post(f"/organizations/{self.id}/users",
                                    json={"name": name, "email": email, "role": role})
        assert response.status_code == 201, response.json
        return response.json

    def headers(self, user=None):
        """Headers of a request as ``user`` (None: tenant header only)."""
        headers = {"x-tenant-id": self.id}
        if user is not None:
            headers["x-user-id"] = user["id"]
        return headers

    @property
    def as_admin(self):
        return self.headers(self.admin)

    @property
    def as_member(self):
        return self.headers(self.member)

    def add_task(self, title="A task", description=None, user=None):
        response = self.client.post("/tasks", json={"title": title, "description": description},
                                    headers=self.headers(user or self.member))
        assert response.status_code == 201, response.json
        return response.json

    def start_export(self):
        """POST /tasks/export as the admin; returns the 202 answer's body."""
        response = self.client.post("/tasks/export", headers=self.as_admin)
        assert response.status_code == 202, response.json
        return response.json


def schema_exists(db, schema):
    with db.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_namespace WHERE nspname = %s", (schema,))
        return cur.fetchone()[0] == 1


def schema_version(db, schema):
    """(newest version in the schema, versions recorded there, the registry's copy)."""
    with db.cursor() as cur:
        cur.execute(sql.SQL("SELECT max(version), count(*) FROM {}.schema_migrations").format(sql.Identifier(schema)))
        newest, count = cur.fetchone()
        cur.execute("SELECT schema_version FROM public.organizations WHERE schema_name = %s", (schema,))
        return newest, count, cur.fetchone()[0]
