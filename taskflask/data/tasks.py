"""Tasks of one tenant (run inside its transaction)."""
from datetime import datetime, timezone

from taskflask.data.queries import queries

# A search's counts stop there: counting every match of a common word would read most of the table, and
# even reaching the cap reads about four times as many tasks (two statuses, a word in half of them) or
# matches (through the trigram index), about 2.5 microseconds each.
SEARCH_COUNT_CAP = 500


def contains_pattern(text):
    """The LIKE pattern of values that contain ``text`` (its %, _ and \\ taken literally)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def list_tasks(reader, limit, status=None, after=None, search=None):
    """A page of up to ``limit`` tasks newest first, after the (created_at, id) key ``after``,
    only those whose title or description contains ``search`` (any case) when given.

    ``reader.rows(query, params)`` runs the page's one statement and returns its
    rows as tuples (a dict per row would cost more than the row), which may go on
    past the page's columns; a request's reader (web.tenancy.TenantRead) sends
    the tenant check with it.
    Returns (tasks as JSON texts, the key of the page's last task when more follow, else None).
    """
    after_created_at, after_id = after or (None, None)
    pattern = contains_pattern(search) if search else None
    query = queries.search_tasks if search else queries.list_tasks
    rows = reader.rows(query, {"status": status, "pattern": pattern, "limit": limit + 1,
                               "after_created_at": after_created_at, "after_id": after_id})
    if len(rows) > limit:
        _, created_at, row_id = rows[limit - 1][:3]
        # The text PostgreSQL wrote (ISO, as psycopg2 sets DateStyle), parsed as psycopg2 would: only this row's.
        next_key = (datetime.fromisoformat(created_at), row_id)
    else:
        next_key = None
    return [row[0] for row in rows[:limit]], next_key


def create_task(cur, title, description, created_by):
    """Add a pending task (and count it); None, and nothing added, when ``created_by`` is no user of the tenant."""
    return queries.insert_task(cur.connection, title=title, description=description, created_by=created_by)


def get_task(cur, task_id):
    """One task, or None."""
    return queries.get_task(cur.connection, id=task_id)


def update_task(cur, task_id, changes):
    """Apply ``changes`` (title, description, status); None when there is no such task.

    Completing sets completedAt once, reopening clears it, and the counts follow
    the status; a change that changes nothing leaves the row (and its updatedAt) alone.
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


def delete_task(cur, task_id, user_id, is_admin):
    """Delete a task (and uncount it) if the user is an admin or its creator.

    Returns "deleted", "forbidden" (it exists but is not theirs) or "missing".
    """
    if queries.delete_task(cur.connection, id=task_id, user_id=user_id, is_admin=is_admin):
        return "deleted"
    return "forbidden" if get_task(cur, task_id) else "missing"


def count_tasks(reader, search=None):
    """{total, pending, completed} of all tasks, or of those containing ``search``.

    All tasks: the counts kept in task_counts. A search: each count up to
    SEARCH_COUNT_CAP, and ``capped: True`` when the total reached it, in one
    statement (search_task_counts). ``reader.rows`` as list_tasks's.
    """
    if not search:
        rows = reader.rows(queries.kept_task_counts, {})
        return dict(zip(("total", "pending", "completed"), rows[0][:3] if rows else (0, 0, 0)))
    total, pending, completed, capped = reader.rows(
        queries.search_task_counts, {"pattern": contains_pattern(search), "cap": SEARCH_COUNT_CAP})[0][:4]
    counts = {"total": total, "pending": pending, "completed": completed}
    return {**counts, "capped": True} if capped else counts


def number_of_tasks(cur):
    """How many tasks the tenant has (a count(*), for operators)."""
    return queries.count_tasks(cur.connection)
