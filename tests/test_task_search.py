"""Search (GET /tasks?q=) and the counts of the filter pills (GET /tasks/counts), kept in task_counts."""
import threading
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from psycopg2 import sql

from support.environment import CITUS_DIR, not_on_citus
from support.http import next_link
from support.tenants import TenantFixture
from taskflask.data.organizations import create_organization
from taskflask.data.queries import queries
from taskflask.data.tasks import SEARCH_COUNT_CAP
from taskflask.db import database
from taskflask.tenants.backup import backup_tenant, restore_tenant
from taskflask.tenants.migrations import migrate_schema
from taskflask.web.schemas import TaskCountsSchema


def titles(response):
    assert response.status_code == 200, response.json
    return [task["title"] for task in response.json]


def counts(client, tenant, q=None):
    response = client.get("/tasks/counts", query_string={"q": q} if q is not None else None,
                          headers=tenant.headers())
    assert response.status_code == 200, response.json
    assert TaskCountsSchema().validate(response.json) == {}
    return response.json


def stored_counts(db, schema):
    """count(*) by status, straight from the table."""
    with db.cursor() as cur:
        cur.execute(sql.SQL("SELECT count(*) FILTER (WHERE status = 'pending'), "
                            "count(*) FILTER (WHERE status = 'completed') FROM {}").format(
                                sql.Identifier(schema, "tasks")))
        pending, completed = cur.fetchone()
    return {"total": pending + completed, "pending": pending, "completed": completed}


def test_search_finds_text_in_title_or_description_in_any_case(client, tenant):
    tenant.add_task("Quarterly REPORT")
    tenant.add_task("Lunch", "bring the report draft")
    tenant.add_task("Reporter interview")
    tenant.add_task("Unrelated", "nothing here")
    assert titles(client.get("/tasks?q=report", headers=tenant.headers())) == \
        ["Reporter interview", "Lunch", "Quarterly REPORT"]
    assert titles(client.get("/tasks?q=Report%20draft", headers=tenant.headers())) == ["Lunch"]
    assert titles(client.get("/tasks?q=zzz", headers=tenant.headers())) == []


@pytest.mark.parametrize("q, expected", [
    ("100%", ["100% done"]),         # % and _ are literal characters, not wildcards
    ("a_b", ["a_b"]),
    ("back\\slash", ["back\\slash"]),
    ("ünïcödé", ["ÜNÏCÖDÉ title"]),
    ("ab", ["xaby"]),                # shorter than a trigram: still found
])
def test_search_takes_the_text_literally(client, tenant, q, expected):
    for title in ("100% done", "100 percent", "a_b", "axb", "back\\slash", "ÜNÏCÖDÉ title", "xaby"):
        tenant.add_task(title)
    response = client.get("/tasks", query_string={"q": q}, headers=tenant.headers())
    assert sorted(titles(response)) == sorted(expected)


def test_blank_search_lists_everything(client, tenant):
    for title in ("one", "two"):
        tenant.add_task(title)
    assert titles(client.get("/tasks?q=%20%20", headers=tenant.headers())) == ["two", "one"]
    assert counts(client, tenant, "  ") == {"total": 2, "pending": 2, "completed": 0}


def test_search_combines_with_status_and_pages(client, tenant):
    matching = [tenant.add_task(f"invoice {i}") for i in range(5)]
    tenant.add_task("other")
    for task in matching[:3]:
        client.patch(f"/tasks/{task['id']}", headers=tenant.as_member)
    first = client.get("/tasks?status=completed&q=INVOICE&limit=2", headers=tenant.headers())
    assert titles(first) == ["invoice 2", "invoice 1"]
    link = next_link(first)
    assert parse_qs(urlsplit(link).query)["q"] == ["INVOICE"]
    second = client.get(link, headers=tenant.headers())
    assert titles(second) == ["invoice 0"] and next_link(second) is None


def test_next_link_keeps_a_search_with_reserved_characters(client, tenant):
    for i in range(3):
        tenant.add_task(f"a&b=c #{i}")
    first = client.get("/tasks", query_string={"q": "a&b=c #", "limit": 2}, headers=tenant.headers())
    link = next_link(first)
    assert parse_qs(urlsplit(link).query)["q"] == ["a&b=c #"]
    assert titles(client.get(link, headers=tenant.headers())) == ["a&b=c #0"]


@pytest.mark.parametrize("path", ["/tasks", "/tasks/counts"])
@pytest.mark.parametrize("q, problem", [
    ("x" * 201, "Longer than maximum length 200."),
    ("a%00b", "Must not contain NUL characters."),
    ("%ED%A0%80", "Must be valid Unicode text (UTF-8, no unpaired surrogates)."),  # a lone surrogate, encoded
    ("ok%FF", "Must be valid Unicode text (UTF-8, no unpaired surrogates)."),
])
def test_bad_search_text_is_refused(client, tenant, path, q, problem):
    response = client.get(f"{path}?status=pending&q={q}", headers=tenant.headers())
    assert response.status_code == 400
    assert response.json["errors"] == {"q": [problem]}


def test_a_real_replacement_character_or_percent_sign_is_searched_for(client, tenant):
    tenant.add_task("broken \ufffd text")
    tenant.add_task("ok%FF")
    assert titles(client.get("/tasks?q=%EF%BF%BD", headers=tenant.headers())) == ["broken \ufffd text"]
    assert titles(client.get("/tasks?q=ok%25FF", headers=tenant.headers())) == ["ok%FF"]


def test_search_of_200_characters_after_trimming_is_accepted(client, tenant):
    response = client.get("/tasks", query_string={"q": "  " + "y" * 200 + " "}, headers=tenant.headers())
    assert response.status_code == 200 and response.json == []


def test_counts_follow_creates_status_changes_and_deletes(client, db, tenant):
    assert counts(client, tenant) == {"total": 0, "pending": 0, "completed": 0}
    tasks = [tenant.add_task(f"task {i}") for i in range(4)]
    client.patch(f"/tasks/{tasks[0]['id']}", headers=tenant.as_member)
    client.patch(f"/tasks/{tasks[0]['id']}", headers=tenant.as_member)  # no change: counted once
    client.patch(f"/tasks/{tasks[1]['id']}", json={"status": "completed"}, headers=tenant.as_member)
    assert counts(client, tenant) == {"total": 4, "pending": 2, "completed": 2}
    client.patch(f"/tasks/{tasks[1]['id']}", json={"status": "pending"}, headers=tenant.as_member)
    client.patch(f"/tasks/{tasks[2]['id']}", json={"title": "renamed"}, headers=tenant.as_member)
    assert counts(client, tenant) == {"total": 4, "pending": 3, "completed": 1}
    assert client.delete(f"/tasks/{tasks[0]['id']}", headers=tenant.as_admin).status_code == 204
    assert client.delete(f"/tasks/{tasks[3]['id']}", headers=tenant.as_member).status_code == 204
    assert client.delete(f"/tasks/{tasks[2]['id']}", headers=tenant.as_admin).status_code == 204
    assert counts(client, tenant) == stored_counts(db, tenant.schema) == {"total": 1, "pending": 1, "completed": 0}


def test_refused_and_failed_changes_count_nothing(client, tenant):
    task = tenant.add_task("the admin's", user=tenant.admin)
    assert client.delete(f"/tasks/{task['id']}", headers=tenant.as_member).status_code == 403
    assert client.patch(f"/tasks/{task['id']}", json={"status": "done"}, headers=tenant.as_member).status_code == 400
    assert client.post("/tasks", json={"title": ""}, headers=tenant.as_member).status_code == 400
    assert counts(client, tenant) == {"total": 1, "pending": 1, "completed": 0}


def test_counts_of_a_search(client, tenant):
    done = tenant.add_task("Pay rent")
    tenant.add_task("rent a car")
    tenant.add_task("Groceries", "and the RENT receipt")
    tenant.add_task("other")
    client.patch(f"/tasks/{done['id']}", headers=tenant.as_member)
    assert counts(client, tenant, "rent") == {"total": 3, "pending": 2, "completed": 1}
    assert counts(client, tenant, "nothing like it") == {"total": 0, "pending": 0, "completed": 0}


def test_counts_are_the_tenants_own(client, tenant, other_tenant):
    tenant.add_task("mine")
    other_tenant.add_task("theirs")
    other_tenant.add_task("theirs too")
    assert counts(client, tenant) == {"total": 1, "pending": 1, "completed": 0}
    assert counts(client, tenant, "theirs") == {"total": 0, "pending": 0, "completed": 0}
    assert counts(client, other_tenant) == {"total": 2, "pending": 2, "completed": 0}


def test_counts_of_a_common_search_stop_at_the_cap(client, db, tenant):
    """525 matching tasks made in SQL (20 completed): each count stops at 500, or is exact below."""
    with db.cursor() as cur:
        cur.execute(sql.SQL("""INSERT INTO {} (title, status, created_by, created_by_name, completed_at)
                               SELECT 'common ' || i, CASE WHEN i <= 20 THEN 'completed' ELSE 'pending' END, %s, %s,
                                      CASE WHEN i <= 20 THEN now() END
                               FROM generate_series(1, %s) AS i""").format(sql.Identifier(tenant.schema, "tasks")),
                    (tenant.member["id"], tenant.member["name"], SEARCH_COUNT_CAP + 25))
    assert counts(client, tenant, "COMMON") == \
        {"total": SEARCH_COUNT_CAP, "pending": SEARCH_COUNT_CAP, "completed": 20, "capped": True}
    assert counts(client, tenant, "common 501") == {"total": 1, "pending": 1, "completed": 0}


def test_concurrent_changes_keep_the_counts_exact(app, db, tenant):
    """Creates, completes, reopens and deletes from several threads at once, each on its own connection."""
    def work(worker):
        client = app.test_client()
        headers = tenant.as_admin
        for i in range(8):
            task = client.post("/tasks", json={"title": f"w{worker} {i}"}, headers=headers).json
            client.patch(f"/tasks/{task['id']}", headers=headers)
            if i % 2:
                client.patch(f"/tasks/{task['id']}", json={"status": "pending"}, headers=headers)
            if i % 3 == 0:
                client.delete(f"/tasks/{task['id']}", headers=headers)

    threads = [threading.Thread(target=work, args=(worker,)) for worker in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    expected = stored_counts(db, tenant.schema)
    assert expected == {"total": 6 * 5, "pending": 6 * 3, "completed": 6 * 2}
    assert counts(app.test_client(), tenant) == expected


def test_the_migration_counts_the_tasks_a_tenant_already_has(client, db):
    """A tenant made before the counts (version 3) gets them from its tasks when migrated."""
    schema = f"old_{uuid.uuid4().hex[:10]}"
    with database.transaction() as cur:
        organization = create_organization(cur, "Older", schema, version=3, distributed=bool(CITUS_DIR))
    with db.cursor() as cur:
        cur.execute(sql.SQL("INSERT INTO {} (name, email, role) VALUES ('Old', 'old@example.com', 'admin') "
                            "RETURNING id").format(sql.Identifier(schema, "users")))
        user_id = cur.fetchone()[0]
        cur.execute(sql.SQL("""INSERT INTO {} (title, status, created_by, completed_at)
                               SELECT 'old ' || i, CASE WHEN i %% 4 = 0 THEN 'completed' ELSE 'pending' END, %s,
                                      CASE WHEN i %% 4 = 0 THEN now() END
                               FROM generate_series(1, 10) AS i""").format(sql.Identifier(schema, "tasks")),
                    (user_id,))
    with database.transaction() as cur:
        assert migrate_schema(cur, schema, "tenant") == [4, 5, 6]
    tenant = TenantFixture.__new__(TenantFixture)  # the fixture's headers, for an organization made here
    tenant.client, tenant.id = client, organization["id"]
    assert counts(client, tenant) == {"total": 10, "pending": 8, "completed": 2}
    assert titles(client.get("/tasks?q=OLD%2010", headers=tenant.headers())) == ["old 10"]
    created = client.post("/tasks", json={"title": "new"},
                          headers={"x-tenant-id": tenant.id, "x-user-id": str(user_id)})
    assert created.status_code == 201
    assert counts(client, tenant) == {"total": 11, "pending": 9, "completed": 2}


def test_search_is_served_by_the_trigram_index(tenant):
    """The plan of a search's condition uses the GIN index when scanning is not an option."""
    with database.transaction(tenant.schema, read_only=True) as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute("EXPLAIN SELECT id FROM tasks WHERE lower(title || E'\\n' || coalesce(description, '')) "
                    "LIKE lower('%%Report%%')")
        plan = "\n".join(row["QUERY PLAN"] for row in cur.fetchall())
    if not CITUS_DIR:  # on Citus the plan is the worker's, behind a Custom Scan
        assert "tasks_search_trgm_idx" in plan, plan


def test_search_follows_edits_of_title_and_description(client, tenant):
    task = tenant.add_task("Mixed CASE", "Ünïcode Line")
    assert titles(client.get("/tasks?q=%C3%BCN%C3%AFCODE", headers=tenant.headers())) == ["Mixed CASE"]
    client.patch(f"/tasks/{task['id']}", json={"description": None}, headers=tenant.as_member)
    assert titles(client.get("/tasks?q=%C3%BCN%C3%AFCODE", headers=tenant.headers())) == []
    assert titles(client.get("/tasks?q=mixed%20c", headers=tenant.headers())) == ["Mixed CASE"]


def test_the_document_describes_search_counts_and_delete(client):
    spec = client.get("/openapi.json").json
    listing = spec["paths"]["/tasks"]["get"]["parameters"]
    assert any(p["in"] == "query" and p["name"] == "q" and p["schema"]["type"] == "string" for p in listing)
    counted = spec["paths"]["/tasks/counts"]["get"]
    assert counted["responses"]["200"]["content"]["application/json"]["schema"] == \
        {"$ref": "#/components/schemas/TaskCounts"}
    assert set(spec["components"]["schemas"]["TaskCounts"]["properties"]) == {"total", "pending", "completed", "capped"}
    assert set(spec["components"]["schemas"]["TaskCounts"]["required"]) == {"total", "pending", "completed"}
    deleting = spec["paths"]["/tasks/{task_id}"]["delete"]
    assert "content" not in deleting["responses"]["204"]
    assert {"403", "404"} <= set(deleting["responses"])
    assert "createdByName" in spec["components"]["schemas"]["Task"]["required"]
    assert "requestedByName" in spec["components"]["schemas"]["Export"]["required"]


def test_a_restored_tenant_keeps_its_counts_and_search(client, tenant, tmp_path):
    done = tenant.add_task("Backed up")
    tenant.add_task("Also backed up")
    client.patch(f"/tasks/{done['id']}", headers=tenant.as_member)
    backup_tenant(database, tenant.schema, tmp_path / "backup.zip")
    restored = restore_tenant(database, tmp_path / "backup.zip", f"r_{uuid.uuid4().hex[:10]}",
                              distributed=bool(CITUS_DIR))
    copy = TenantFixture.__new__(TenantFixture)
    copy.client, copy.id = client, str(restored["id"])
    assert counts(client, copy) == {"total": 2, "pending": 1, "completed": 1}
    assert titles(client.get("/tasks?q=ALSO", headers=copy.headers())) == ["Also backed up"]
    assert client.post("/tasks", json={"title": "after"}, headers={**copy.headers(), "x-user-id": tenant.member["id"]}
                       ).status_code == 201
    assert counts(client, copy) == {"total": 3, "pending": 2, "completed": 1}


# --- the phases of a search (sql/queries/tasks.sql, list_tasks): walked, in_window, older

# 3,000 tasks: the newest 1,000 one second apart, the rest a minute apart, every third completed.
# A walk covers 1,000 tasks, so each word below takes the search down a different path.
PHASED_TITLES = """
SELECT concat_ws(' ', 'task ' || g,
                 CASE WHEN mod(g, 5) = 0 THEN 'often' END,                 -- one in 5: found by the walk
                 CASE WHEN mod(g, 50) = 0 THEN 'sometimes' END,            -- one in 50: 20 walked, a window
                 CASE WHEN mod(g, 700) = 0 THEN 'seldom' END,              -- 4 in all: every match, sorted
                 CASE WHEN g > 2000 AND mod(g, 2) = 0 THEN 'formerly' END, -- common in old tasks only
                 CASE WHEN g <= 1000 AND mod(g, 200) = 0                   -- 5 recent, then none, then many:
                        OR g > 2500 AND mod(g, 3) = 0 THEN 'fading' END),  -- a window too short, then older
       CASE WHEN mod(g, 3) = 0 THEN 'completed' ELSE 'pending' END,
       now() - make_interval(secs => CASE WHEN g <= 1000 THEN g ELSE 1000 + (g - 1000) * 60 END)
FROM generate_series(1, 3000) AS g
"""


def insert_tasks(db, tenant, titles_query):
    """The rows of ``titles_query`` (title, status, created_at) as the member's tasks, made in SQL."""
    with db.cursor() as cur:
        cur.execute(sql.SQL("""INSERT INTO {} (title, status, created_at, completed_at, created_by, created_by_name)
                               SELECT title, status, created_at,
                                      CASE WHEN status = 'completed' THEN created_at END, %s, %s
                               FROM ({}) AS made (title, status, created_at)""").format(
                                   sql.Identifier(tenant.schema, "tasks"), sql.SQL(titles_query)),
                    (tenant.member["id"], tenant.member["name"]))


def matching_titles(db, tenant, q, status=None):
    """The titles a search should list, newest first, straight from the table."""
    with db.cursor() as cur:
        cur.execute(sql.SQL("SELECT title FROM {} WHERE title ILIKE %s AND (%s::text IS NULL OR status = %s) "
                            "ORDER BY created_at DESC, id DESC").format(sql.Identifier(tenant.schema, "tasks")),
                    (f"%{q}%", status, status))
        return [row[0] for row in cur.fetchall()]


def every_page(client, tenant, q, status=None, limit=25):
    """The titles of every page of a search, following the next links; and how many pages there were."""
    query = {"q": q, "limit": limit, **({"status": status} if status else {})}
    response = client.get("/tasks", query_string=query, headers=tenant.headers())
    found, pages = titles(response), 1
    while (link := next_link(response)) is not None:
        response = client.get(link, headers=tenant.headers())
        page = titles(response)
        assert page, "a next link must lead to a page with tasks"
        found += page
        pages += 1
    return found, pages


@pytest.mark.parametrize("status", [None, "completed"])
@pytest.mark.parametrize("q", ["often", "sometimes", "seldom", "formerly", "fading", "TASK 29"])
def test_search_pages_are_complete_and_in_order_across_its_phases(client, db, tenant, q, status):
    insert_tasks(db, tenant, PHASED_TITLES)
    expected = matching_titles(db, tenant, q, status)
    assert expected
    found, pages = every_page(client, tenant, q, status)
    assert found == expected
    assert pages == -(-len(expected) // 25)


@pytest.mark.parametrize("status", [None, "completed", "pending"])
@pytest.mark.parametrize("word, older_than", [
    ("every third", 6000),   # none in the walk's 1,000 tasks: a sample further back finds them, its window holds pages
    ("every 9th", 3000),     # sparser, nearer
    ("every 30th", 9000),    # too sparse for a sample to find twice: every match, sorted
])
def test_search_of_a_word_only_in_older_tasks_pages_in_order(client, db, tenant, status, word, older_than):
    """12,000 tasks a second apart, every 4th completed; the word only in tasks older than the walk and more (also
    than a walk of 1,000 completed tasks, 4,000 in all), with and without a status, every page after its cursor."""
    step = {"every third": 3, "every 9th": 9, "every 30th": 30}[word]
    insert_tasks(db, tenant, f"SELECT 'task ' || g || CASE WHEN g > {older_than} AND mod(g, {step}) = 0 "
                             f"THEN ' {word}' ELSE '' END, "
                             "CASE WHEN mod(g, 4) = 0 THEN 'completed' ELSE 'pending' END, "
                             "now() - make_interval(secs => g) FROM generate_series(1, 12000) AS g")
    expected = matching_titles(db, tenant, word, status)
    assert len(expected) >= 25
    found, pages = every_page(client, tenant, word, status)
    assert found == expected
    assert pages == -(-len(expected) // 25)


def search_plan(tenant, word, status=None):
    """EXPLAIN (ANALYZE, FORMAT JSON) of search_tasks' first page of 26 tasks containing ``word``, after ANALYZE."""
    with database.transaction(tenant.schema) as cur:
        cur.execute("ANALYZE tasks")
        cur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + queries.search_tasks.sql,
                    {"status": status, "pattern": f"%{word}%", "limit": 26, "after_created_at": None, "after_id": None})
        return cur.fetchone()["QUERY PLAN"][0]


def cte_node(plan, name):
    """The node of search_tasks' CTE ``name`` in EXPLAIN (ANALYZE, FORMAT JSON): its Actual Rows and Loops."""
    nodes = [plan["Plan"]]
    while nodes:
        node = nodes.pop()
        if node.get("Subplan Name") == f"CTE {name}":
            return node
        nodes += node.get("Plans", [])
    raise AssertionError(f"no {name} in the plan")


@not_on_citus("the plan is the worker's, behind a Custom Scan")
@pytest.mark.parametrize("status", [None, "completed"])
def test_the_window_of_a_word_only_in_older_tasks_ends_near_its_start(db, tenant, status):
    """12,000 tasks a second apart, every 4th completed, "older" in every third of the 6,000 oldest: the walk (of
    1,000 tasks, or of 1,000 completed ones) finds none, the sample that finds it lies a third further back than
    where it starts, and halving the gap brings the window's end to about two pages past the start: a few pages
    of matches, not the hundreds up to that sample (every one read again)."""
    insert_tasks(db, tenant, "SELECT 'task ' || g || CASE WHEN g > 6000 AND mod(g, 3) = 0 THEN ' older' ELSE '' END, "
                             "CASE WHEN mod(g, 4) = 0 THEN 'completed' ELSE 'pending' END, "
                             "now() - make_interval(secs => g) FROM generate_series(1, 12000) AS g")
    assert 26 <= cte_node(search_plan(tenant, "older", status), "in_window")["Actual Rows"] <= 4 * 26


@not_on_citus("the plan is the worker's, behind a Custom Scan")
def test_a_word_that_starts_over_a_thousand_walks_back_still_gets_a_window(db, tenant):
    """1,000 tasks a second apart, then 1,500 without the word 1,000 s apart, then 1,500 with it in every third: the
    word starts 1,500,000 s back, beyond 1,024 times the walk's span (1,000 s), where the samples once stopped and
    left every match to the trigram index alone, read and sorted (500 of them here, 200,000 at 4,000,000 tasks).
    Its tasks are a thousand times sparser than the walk's, so two pages of them is a time the sample's spread
    gives: at the walk's density the window held none."""
    insert_tasks(db, tenant, "SELECT 'task ' || g || CASE WHEN g > 2500 AND mod(g, 3) = 0 THEN ' deeper' ELSE '' END, "
                             "'pending', now() - make_interval(secs => CASE WHEN g <= 1000 THEN g "
                             "ELSE 1000 * (g - 1000) END) FROM generate_series(1, 4000) AS g")
    plan = search_plan(tenant, "deeper")
    assert 26 <= cte_node(plan, "in_window")["Actual Rows"] <= 4 * 26
    assert not cte_node(plan, "matches")["Actual Loops"]  # every match through the trigram index: never ran


@pytest.mark.parametrize("limit", [1, 2, 4])
def test_a_short_page_of_a_word_only_in_older_tasks(client, db, tenant, limit):
    """Pages of 1 to 4: a walk that finds 1 or 2 is half a page or more, yet the window is the samples' (not a walk
    on through it); the first pages, each after its cursor, are the newest matches."""
    insert_tasks(db, tenant, "SELECT 'task ' || g || CASE WHEN g > 6000 AND mod(g, 3) = 0 OR g IN (7, 700) "
                             "THEN ' older' ELSE '' END, 'pending', now() - make_interval(secs => g) "
                             "FROM generate_series(1, 12000) AS g")
    expected = matching_titles(db, tenant, "older")
    response = client.get("/tasks", query_string={"q": "older", "limit": limit}, headers=tenant.headers())
    found = titles(response)
    for _ in range(3):
        response = client.get(next_link(response), headers=tenant.headers())
        found += titles(response)
    assert found == expected[:4 * limit]


def test_search_pages_through_tasks_of_the_same_instant(client, db, tenant):
    """1,500 tasks made in one statement share created_at: the window is that instant, their ids order them."""
    insert_tasks(db, tenant, "SELECT 'same ' || g || CASE WHEN mod(g, 100) = 0 THEN ' hundredth' ELSE '' END, "
                             "'pending', now() FROM generate_series(1, 1500) AS g")
    expected = matching_titles(db, tenant, "hundredth")
    assert len(expected) == 15
    assert every_page(client, tenant, "hundredth", limit=12) == (expected, 2)


def test_a_search_page_longer_than_the_walk(client, db, tenant):
    """A page of 1,000 needs 1,001 matches, more than the walk's 1,000 tasks can hold."""
    insert_tasks(db, tenant, "SELECT 'many ' || g, 'pending', now() - make_interval(secs => g) "
                             "FROM generate_series(1, 1500) AS g")
    found, pages = every_page(client, tenant, "MANY", limit=1000)
    assert found == matching_titles(db, tenant, "many") and pages == 2


@pytest.mark.parametrize("q", ["zq", "%", "Q Z"])
def test_short_searches_find_matches_past_the_walk(client, db, tenant, q):
    """Past the walk's 1,000 tasks: "zq" and "%" give the trigram index nothing (the walk goes on),
    "Q Z" a word that starts inside the text (the index is asked)."""
    insert_tasks(db, tenant, "SELECT 'plain ' || g || CASE WHEN g > 1400 THEN ' zq, q z, 100' || chr(37) ELSE '' END, "
                             "'pending', now() - make_interval(secs => g) FROM generate_series(1, 1500) AS g")
    expected = matching_titles(db, tenant, q.replace("%", "\\%"))
    assert len(expected) == 100
    assert every_page(client, tenant, q, limit=30) == (expected, 4)


# --- the ways of a search's counts (sql/queries/tasks.sql, search_task_counts): sampled, walked, indexed

# 3,000 tasks a second apart (g = 1 the newest), "word" where each case says; with the cap at 200, a
# status is walked for at most 1,000 of its tasks and the trigram index read for up to 800 matches.
COUNTED_TITLES = """
SELECT 'task ' || g || CASE WHEN {word} THEN ' word' ELSE '' END,
       CASE WHEN {completed} THEN 'completed' ELSE 'pending' END,
       now() - make_interval(secs => g)
FROM generate_series(1, 3000) AS g
"""


@pytest.mark.parametrize("word, completed", [
    ("mod(g, 2) = 0", "mod(g, 3) = 0"),                      # common: both statuses walked to the cap
    ("g <= 100 OR mod(g, 50) = 0", "mod(g, 3) = 0"),          # common among the newest only: walks end short
    ("g > 200 AND mod(g, 3) <> 0 OR mod(g, 300) = 0", "mod(g, 3) = 0"),  # none sampled; 800 read, 9 completed
    ("mod(g, 20) = 0 OR mod(g, 2) = 0", "mod(g, 20) = 0"),   # 150 completed, every one walked
    ("g = 2999", "mod(g, 3) = 0"),                           # one, through the index
])
def test_search_counts_are_exact_up_to_the_cap_whichever_way_they_are_counted(
        client, db, tenant, monkeypatch, word, completed):
    monkeypatch.setattr("taskflask.data.tasks.SEARCH_COUNT_CAP", 200)
    insert_tasks(db, tenant, COUNTED_TITLES.format(word=word, completed=completed))
    every = stored_counts_of(db, tenant, "word")
    expected = {key: min(value, 200) for key, value in every.items()}
    if expected["pending"] + expected["completed"] >= 200:
        expected["capped"] = True
    assert counts(client, tenant, "WORD") == expected


def stored_counts_of(db, tenant, q):
    """count(*) by status of the tasks whose title contains ``q``, straight from the table."""
    with db.cursor() as cur:
        cur.execute(sql.SQL("SELECT count(*) FILTER (WHERE status = 'pending'), "
                            "count(*) FILTER (WHERE status = 'completed') FROM {} WHERE title ILIKE %s").format(
                                sql.Identifier(tenant.schema, "tasks")), (f"%{q}%",))
        pending, completed = cur.fetchone()
    return {"total": pending + completed, "pending": pending, "completed": completed}
