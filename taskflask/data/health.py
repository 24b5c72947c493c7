"""The readiness probe's question to PostgreSQL."""
from taskflask.data.queries import queries


def ping(cur):
    """True when the server answers a query."""
    return queries.ping(cur.connection) == 1
