"""Demo data for ``flask seed-demo`` (run inside the tenant's transaction)."""
from taskflask.data.queries import queries


def insert_demo_tasks(cur, admin_id, member_id, count):
    """``count`` tasks created by the admin and the member in turn, every tenth done; returns how many."""
    return queries.insert_demo_tasks(cur.connection, admin=admin_id, member=member_id, count=count)
