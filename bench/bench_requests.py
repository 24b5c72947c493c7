"""Requests: GET /tasks?limit=100 and POST /tasks under gunicorn, beside a bare route and the peer.

In one run, at 1, 16 and 64 connections (wrk on loopback, 2 gunicorn worker
processes for both servers, each of the worker class it ships with: taskflask's
threaded one of gunicorn.conf.py, the peer's sync one): taskflask's GET /tasks?limit=100 and POST /tasks, the bare
routes of bench_app.py (same SQL, same pool, no tenant machinery; in one
autocommit round trip as GET /tasks runs, and in a transaction of its own), and
django-tenants' GET /tasks (100 tasks, persistent connections). Each figure is
the median of BENCH_REPEATS interleaved runs; ratios are medians of
side-by-side pairs.

Targets (issue 15): the machinery costs at most 10% of the requests/s of the
bare route of the same form (one round trip, autocommit); taskflask serves at
least 2x the peer's requests/s at 16 and 64.
"""
import json
import os

import peer
from harness import REPEATS, WORK, Taskflask, interleaved, log, paired_ratio, save, summary

CONNECTIONS = (1, 16, 64)
TASKS = 1000
POST_SCRIPT = WORK / "post_task.lua"


def main():
    peer.install()
    peer.create_database({"t1": TASKS})
    load_at_start = os.getloadavg()
    POST_SCRIPT.write_text('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                           f'wrk.body = {json.dumps(json.dumps({"title": "Load test", "description": "x" * 100}))}\n')
    with Taskflask("taskflask_bench_requests", wsgi="bench_app:app") as app, peer.PeerServer() as djt:
        reader, writer = app.create_tenant("acme", tasks=TASKS)
        runs = interleaved({
            "get_tasks": dict(url=app.url + "/tasks?limit=100", headers=reader),
            "bare": dict(url=app.url + "/bare/acme/tasks"),
            "bare_autocommit": dict(url=app.url + "/bare-autocommit/acme/tasks"),
            "peer_get_tasks": dict(url=djt.url + "/tasks", headers={"Host": "t1.localhost"}),
            "post_tasks": dict(url=app.url + "/tasks", headers=writer, script=POST_SCRIPT),
        }, CONNECTIONS)
    peer.drop_database()

    figures = {name: {c: summary(rs) for c, rs in per_connections.items()} for name, per_connections in runs.items()}
    for c in CONNECTIONS:
        get = figures["get_tasks"][c]
        get["machinery_cost"] = 1 - paired_ratio(runs["get_tasks"][c], runs["bare_autocommit"][c], "rps")
        get["cost_vs_transaction"] = 1 - paired_ratio(runs["get_tasks"][c], runs["bare"][c], "rps")
        get["vs_peer"] = paired_ratio(runs["get_tasks"][c], runs["peer_get_tasks"][c], "rps")
        log(f"c{c}: GET /tasks {get['rps']:.0f} req/s, bare (same form) {figures['bare_autocommit'][c]['rps']:.0f} "
            f"(machinery costs {get['machinery_cost']:.0%}), peer {figures['peer_get_tasks'][c]['rps']:.0f} "
            f"({get['vs_peer']:.2f}x)")
    figures["commands"] = {name: rs[CONNECTIONS[-1]][0]["command"] for name, rs in runs.items()}
    figures["repeats"] = REPEATS
    figures["load"] = {"start": load_at_start, "end": os.getloadavg()}
    figures["note"] = os.environ.get("BENCH_NOTE", "")  # what else ran on the machine meanwhile
    save("requests", figures)


if __name__ == "__main__":
    main()
