"""Users of one tenant (run inside its transaction)."""
from taskflask.data.queries import queries


def list_users(cur):
    """Every user of the tenant, oldest first."""
    return list(queries.list_users(cur.connection))


def create_user(cur, name, email, role):
    """Add a user; raises UniqueViolation when the email is taken (any case)."""
    return queries.insert_user(cur.connection, name=name, email=email, role=role)


def user_role(cur, user_id):
    """The user's role ("admin" or "member"), or None when the tenant has no such user."""
    return queries.user_role(cur.connection, id=user_id)
