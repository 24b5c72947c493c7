"""Helpers for tests on a Citus cluster: each node's own view, asked directly."""
import os

import psycopg2


def node_urls(db):
    """{"host:port": URL of this run's database on that node} for the coordinator and every worker."""
    with db.cursor() as cur:
        cur.execute("SELECT nodename, nodeport FROM pg_dist_node WHERE isactive ORDER BY groupid")
        nodes = cur.fetchall()
    database = os.environ["DATABASE_URL"].rsplit("/", 1)[1]
    return {f"{host}:{port}": f"postgresql://postgres@{host}:{port}/{database}" for host, port in nodes}


def on_every_node(db, query, params=None):
    """{"host:port": rows of ``query``} run on each node on its own (not through the coordinator).

    Citus hides shards from a client's catalog queries; these see them.
    """
    answers = {}
    for node, url in node_urls(db).items():
        conn = psycopg2.connect(url, options="-c citus.show_shards_for_app_name_prefixes=*")
        try:
            with conn.cursor() as cur:
                cur.execute(query, params)
                answers[node] = cur.fetchall()
        finally:
            conn.close()
    return answers


def locks_held_everywhere(db, cur):
    """{backend: locks} that ``cur``'s open transaction holds on the coordinator and, through Citus, on each node."""
    cur.execute("SELECT count(*) AS n, citus_backend_gpid() AS gpid FROM pg_locks WHERE pid = pg_backend_pid()")
    own = cur.fetchone()
    held = on_every_node(db, """
        SELECT l.pid, count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE a.application_name = %s GROUP BY l.pid""", (f"citus_internal gpid={own['gpid']}",))
    return {"coordinator": own["n"], **{f"{node} pid {pid}": n for node, rows in held.items() for pid, n in rows}}
