"""Tasks of one tenant (run inside its transaction)."""
from datetime import datetime, timezone

from taskflask import queries

Q = queries.load("tasks")


def list_tasks(cur, limit, status=None, after=None):
    """A page of up to ``limit`` tasks newest first, after the (created_at, id) key ``after``.

    Returns (tasks as JSON texts, the key of the page's last task when more follow, else None).
    """
    after_created_at, after_id = after or (None, None)
    with cur.connection.cursor() as tuples:  # plain tuples: a dict per row would cost more than the row
        tuples.execute(Q.list, {"status": status, "limit": limit + 1,
                                "after_created_at": after_created_at, "after_id": after_id})
        rows = tuples.fetchall()
    next_key = tuple(rows[limit - 1][1:]) if len(rows) > limit else None
    return [row[0] for row in rows[:limit]], next_key


def create_task(cur, title, description, created_by):
    """Add a pending task."""
    cur.execute(Q.insert, {"title": title, "description": description, "created_by": created_by})
    return cur.fetchone()


def get_task(cur, task_id):
    """One task, or None."""
    cur.execute(Q.get, {"id": task_id})
    return cur.fetchone()


def update_task(cur, task_id, changes):
    """Apply ``changes`` (title, description, status); None when there is no such task.

    Completing sets completedAt once; a change that changes nothing leaves
    the row (and its updatedAt) alone.
    """
    cur.execute(Q.update, {
        "id": task_id,
        "title": changes.get("title"),
        "set_description": "description" in changes,
        "description": changes.get("description"),
        "status": changes.get("status"),
        "now": datetime.now(timezone.utc),
    })
    return cur.fetchone() or get_task(cur, task_id)
