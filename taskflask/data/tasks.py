"""Tasks of one tenant (run inside its transaction)."""
from datetime import datetime, timezone

from taskflask.data.queries import queries, tuple_queries


def list_tasks(cur, limit, status=None, after=None):
    """A page of up to ``limit`` tasks newest first, after the (created_at, id) key ``after``.

    Returns (tasks as JSON texts, the key of the page's last task when more follow, else None).
    """
    after_created_at, after_id = after or (None, None)
    # plain tuples: a dict per row would cost more than the row
    with tuple_queries.list_tasks_cursor(cur.connection, status=status, limit=limit + 1,
                                         after_created_at=after_created_at, after_id=after_id) as tuples:
        rows = tuples.fetchall()
    next_key = tuple(rows[limit - 1][1:]) if len(rows) > limit else None
    return [row[0] for row in rows[:limit]], next_key


def create_task(cur, title, description, created_by):
    """Add a pending task."""
    return queries.insert_task(cur.connection, title=title, description=description, created_by=created_by)


def get_task(cur, task_id):
    """One task, or None."""
    return queries.get_task(cur.connection, id=task_id)


def update_task(cur, task_id, changes):
    """Apply ``changes`` (title, description, status); None when there is no such task.

    Completing sets completedAt once; a change that changes nothing leaves
    the row (and its updatedAt) alone.
    """
    updated = queries.update_task(
        cur.connection,
        id=task_id,
        title=changes.get("title"),
        set_description="description" in changes,
        description=changes.get("description"),
        status=changes.get("status"),
        now=datetime.now(timezone.utc),
    )
    return updated or get_task(cur, task_id)


def count_tasks(cur):
    """How many tasks the tenant has."""
    return queries.count_tasks(cur.connection)
