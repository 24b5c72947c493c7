"""Search and the filter pills' counts on one tenant of 1,000,000 tasks, through a real gunicorn.

One scratch database (dropped at the end) holds one organization, filled with
INSERT ... SELECT generate_series. Titles carry words of three frequencies:
"quokka" in 10 tasks, each of 200 eight-letter words in 0.5% (5,000 tasks), and
"report" in half of them; and "archived", in every tenth of the older half only
(none in the newest 500,000). Each search is asked with and without a status,
for its first page and its second (the first page's next link). Each route is
asked BENCH_SEARCH_REQUESTS times (200) over a keep-alive connection, after a
few warm-up requests, in BENCH_SEARCH_ROUNDS rounds (5) that each ask every
route in turn: this machine is shared and its speed drifts over minutes, and
rounds spread that drift over every route alike. p50 and p95 are printed, beside
the same page without a search, and the load average before and after.
Beside them, what the counts route saves: ``count(*)`` of the whole table and
of a search, timed in SQL; and what turning JIT off in a request saves: two
searches' plan costs, and their SQL p50 with the server's JIT and without (the
same until a plan's cost passes jit_above_cost: 58,875-66,641 of 100,000 at
4,000,000 tasks).

    python bench/bench_search.py            (BENCH_SEARCH_TASKS=1000000 to change the size)
"""
import hashlib
import os
import time
from urllib.parse import urlencode

import psycopg2
from psycopg2 import sql

from common import percentile, record, show
from harness import Taskflask, save
from taskflask.data.queries import queries, text_of

TASKS = int(os.environ.get("BENCH_SEARCH_TASKS", "1000000"))
REQUESTS = int(os.environ.get("BENCH_SEARCH_REQUESTS", "200"))
ROUNDS = int(os.environ.get("BENCH_SEARCH_ROUNDS", "5"))
WARM_UP = 10
SCHEMA = "searchbench"

# The words of the titles: 200 of 0.5% each (md5 prefixes, so their trigrams are their own).
SEED = """
WITH words AS (SELECT array_agg(substr(md5('word' || k), 1, 8) ORDER BY k) AS list FROM generate_series(1, 200) k),
added AS (
    INSERT INTO tasks (title, description, status, created_by, created_by_name, created_at, updated_at, completed_at)
    SELECT 'Task ' || g || ' ' || words.list[1 + g %% 200]
               || CASE WHEN g %% 2 = 0 THEN ' report' ELSE '' END
               || CASE WHEN g %% 100000 = 7 THEN ' quokka' ELSE '' END
               || CASE WHEN g > %(count)s / 2 AND g %% 10 = 0 THEN ' archived' ELSE '' END,
           'Notes for task ' || g || ': lorem ipsum dolor sit amet, consectetur adipiscing elit.',
           CASE WHEN g %% 3 = 2 THEN 'completed' ELSE 'pending' END, u.id, u.name,
           now() - make_interval(secs => g * 37),
           now() - make_interval(secs => g * 37) + interval '1 hour',
           CASE WHEN g %% 3 = 2 THEN now() - make_interval(secs => g * 37) + interval '2 hours' END
    FROM generate_series(1, %(count)s) g, words, users u
    WHERE u.id = %(created_by)s
    RETURNING status
)
INSERT INTO task_counts AS c (pending, completed)
SELECT count(*) FILTER (WHERE status = 'pending'), count(*) FILTER (WHERE status = 'completed') FROM added
ON CONFLICT (only_row) DO UPDATE
SET pending = c.pending + excluded.pending, completed = c.completed + excluded.completed
"""
TRIGRAM_INDEXES = """
SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = %s AND indexdef LIKE '%%gin_trgm_ops%%'
"""


def middling_word():
    """The first of the 0.5% words, as SEED makes it."""
    return hashlib.md5(b"word1").hexdigest()[:8]


def seed(dsn, created_by):
    """TASKS tasks in one statement; the trigram indexes are built afterwards (as CREATE INDEX would
    on a tenant that has them), not row by row, which would take many times longer."""
    conn = psycopg2.connect(dsn)
    try:
        with conn, conn.cursor() as cur:
            cur.execute(sql.SQL("SET LOCAL search_path TO {}").format(sql.Identifier(SCHEMA)))
            cur.execute(TRIGRAM_INDEXES, (SCHEMA,))
            indexes = cur.fetchall()
            for name, _ in indexes:
                cur.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(SCHEMA, name)))
            cur.execute(SEED, {"created_by": created_by, "count": TASKS})
            cur.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for _, definition in indexes:
                cur.execute(definition)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(sql.SQL("VACUUM ANALYZE {}").format(sql.Identifier(SCHEMA, "tasks")))
    finally:
        conn.close()


def second_page(app, path, headers):
    """The path of the next link of ``path``'s answer."""
    response = app.session.get(app.url + path, headers=headers, timeout=30)
    response.raise_for_status()
    link = response.links["next"]["url"]
    return link[len(app.url):] if link.startswith(app.url) else link


def warm_up(app, path, headers):
    """A few GETs of ``path``; how many each round should ask then (a tenth as many when one took over
    100 ms)."""
    slowest = 0
    for _ in range(WARM_UP):
        start = time.perf_counter()
        app.get(path, headers)
        slowest = max(slowest, (time.perf_counter() - start) * 1000)
    return max((REQUESTS if slowest <= 100 else REQUESTS // 10) // ROUNDS, 1)


def timed_requests(app, path, headers, count):
    """Milliseconds of ``count`` sequential GETs of ``path``, and the last answer."""
    times = []
    for _ in range(count):
        start = time.perf_counter()
        response = app.session.get(app.url + path, headers=headers, timeout=30)
        times.append((time.perf_counter() - start) * 1000)
        response.raise_for_status()
    return times, response.json()


def timed_sql(dsn, query, params=(), repeats=10):
    """Median milliseconds of a query run ``repeats`` times in the tenant's schema, and its result."""
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(SCHEMA)))
            times = []
            for _ in range(repeats):
                start = time.perf_counter()
                cur.execute(query, params)
                result = cur.fetchone()[0]
                times.append((time.perf_counter() - start) * 1000)
    finally:
        conn.close()
    return percentile(times, 50), result


def jit_figures(dsn, searches, repeats=7):
    """What a request's entry saves by turning JIT off: each search's plan cost at this size (the server compiles
    a plan that costs more than its jit_above_cost) and its SQL p50 in ms with the server's JIT setting
    and with JIT off, run in turn."""
    search = text_of(queries.search_tasks)
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    figures = {}
    try:
        with conn.cursor() as cur:
            cur.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(SCHEMA)))
            cur.execute("SHOW jit_above_cost")
            figures["JIT above cost"] = cur.fetchone()[0]
            for label, (word, status) in searches.items():
                params = {"status": status, "pattern": f"%{word}%", "limit": 101, "after_created_at": None,
                          "after_id": None}
                cur.execute("EXPLAIN (FORMAT JSON) " + search, params)
                figures[f"JIT q={label} plan cost"] = round(cur.fetchone()[0][0]["Plan"]["Total Cost"])
                times = {"server": [], "off": []}
                for _ in range(repeats):
                    for setting in times:
                        cur.execute("RESET jit" if setting == "server" else "SET jit = off")
                        start = time.perf_counter()
                        cur.execute(search, params)
                        cur.fetchall()
                        times[setting].append((time.perf_counter() - start) * 1000)
                for setting, taken in times.items():
                    figures[f"JIT q={label} {setting} p50_ms"] = percentile(taken, 50)
    finally:
        conn.close()
    return figures


def main():
    word = middling_word()
    searches = {"quokka (10 tasks)": "quokka", f"{word} (0.5%)": word, "report (50%)": "report",
                "archived (10% of the older half)": "archived"}
    routes = {
        # The same page without a search: what the machine gives any request right now.
        "list (no q), for reference": "/tasks?limit=100",
        "list (no q) completed": "/tasks?limit=100&status=completed",
    }
    for label, q in searches.items():
        routes[f"list q={label}"] = "/tasks?" + urlencode({"limit": 100, "q": q})
        routes[f"list q={label} completed"] = "/tasks?" + urlencode({"limit": 100, "status": "completed", "q": q})
    routes.update({
        "counts": "/tasks/counts",
        "counts q=quokka": "/tasks/counts?q=quokka",
        f"counts q={word}": f"/tasks/counts?q={word}",
        "counts q=report (capped)": "/tasks/counts?q=report",
    })
    figures = {"tasks": TASKS, "requests_per_route": REQUESTS, "rounds": ROUNDS, "client": "requests over keep-alive",
               "server": "gunicorn, 2 workers of gunicorn.conf.py (threaded)"}
    app = Taskflask("bench_search").start(consumer=False)  # no exports here
    try:
        tenant_headers, admin_headers = app.create_tenant(SCHEMA)
        started = time.perf_counter()
        seed(app.dsn, admin_headers["x-user-id"])
        figures["seed_s"] = time.perf_counter() - started
        figures["load average before"] = " ".join(f"{load:.1f}" for load in os.getloadavg())
        paged = {}
        for label, path in routes.items():
            paged[label] = path
            if label.startswith("list") and "quokka" not in label:  # quokka's 10 tasks make one page
                paged[f"{label}, page 2"] = second_page(app, path, tenant_headers)
        per_round = {label: warm_up(app, path, tenant_headers) for label, path in paged.items()}
        times = {label: [] for label in paged}
        for _ in range(ROUNDS):
            for label, path in paged.items():
                taken, answer = timed_requests(app, path, tenant_headers, per_round[label])
                times[label] += taken
                figures[f"{label} answer"] = len(answer) if isinstance(answer, list) else answer
        for label in paged:
            figures[f"{label} p50_ms"] = percentile(times[label], 50)
            figures[f"{label} p95_ms"] = percentile(times[label], 95)
        figures["SQL count(*) all p50_ms"], figures["SQL count(*) all"] = \
            timed_sql(app.dsn, "SELECT count(*) FROM tasks")
        # The search's own condition, uncapped.
        search = ("SELECT count(*) FROM tasks "
                  "WHERE lower(title || E'\\n' || coalesce(description, '')) LIKE lower(%s)")
        figures[f"SQL count(*) q={word} p50_ms"], figures[f"SQL count(*) q={word}"] = \
            timed_sql(app.dsn, search, (f"%{word}%",))
        figures["SQL count(*) q=report p50_ms"], figures["SQL count(*) q=report"] = \
            timed_sql(app.dsn, search, ("%report%",), repeats=5)
        figures.update(jit_figures(app.dsn, {"archived completed": ("archived", "completed"),
                                             "report": ("report", None)}))
        figures["load average after"] = " ".join(f"{load:.1f}" for load in os.getloadavg())
    finally:
        app.stop()  # and drops its database
    show(f"Search and counts on one tenant of {TASKS:,} tasks", figures)
    record("search", figures)
    save("search", figures)


if __name__ == "__main__":
    main()
