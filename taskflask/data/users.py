"""Users of one tenant (run inside its transaction)."""
from taskflask import queries

Q = queries.load("users")


def list_users(cur):
    """Every user of the tenant, oldest first."""
    cur.execute(Q.list)
    return cur.fetchall()


def create_user(cur, name, email, role):
    """Add a user; raises UniqueViolation when the email is taken (any case)."""
    cur.execute(Q.insert, {"name": name, "email": email, "role": role})
    return cur.fetchone()


def user_role(cur, user_id):
    """The user's role ("admin" or "member"), or None when the tenant has no such user."""
    cur.execute(Q.role, {"id": user_id})
    row = cur.fetchone()
    return row["role"] if row else None
