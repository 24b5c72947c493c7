"""Where GET /tasks?limit=100 spends its time beside the bare routes, in one process, without gunicorn or wrk.

Each route is called through the WSGI app directly (a prepared environ, no
test client), N times in rotation, so only the app's own work and its round
trips are timed. Prints per route: microseconds per request (median of the
rounds), round trips per request (messages the cursors sent: each execute is
one simple query, one round trip), and with --profile the top functions of a
cProfile of the routes named, by their own and by cumulative time.

    python bench/profile_get_tasks.py [--requests 2000] [--profile "GET /tasks"] [--profile "bare autocommit"]
"""
import argparse
import cProfile
import functools
import io
import os
import pstats
import statistics
import subprocess
import sys
import time

from harness import BIN, ROOT, drop_database, recreate_database, seed_tasks

DATABASE = "taskflask_profile_get_tasks"
TASKS = 1000


def counting_connections(counter):
    """Make the pool's new connections count each statement their cursors send."""
    import psycopg2

    from taskflask import db

    @functools.cache
    def counting(base):
        class Counting(base):
            def execute(self, query, params=None):
                counter[0] += 1
                return super().execute(query, params)
        return Counting

    class CountingConnection(db.PooledConnection):
        def cursor(self, *args, cursor_factory=None, **kwargs):
            base = cursor_factory or self.cursor_factory or psycopg2.extensions.cursor
            return super().cursor(*args, cursor_factory=counting(base), **kwargs)

    def connect(self):
        conn = psycopg2.connect(self.dsn, application_name="taskflask", connection_factory=CountingConnection)
        conn.autocommit = True
        return conn
    db.ConnectionPool._connect = connect


def environ(path, query="", headers=None):
    """A WSGI environ of a GET, as gunicorn would build it."""
    env = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": "127.0.0.1",
           "SERVER_PORT": "3001", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http",
           "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr, "wsgi.multithread": False,
           "wsgi.multiprocess": True, "wsgi.run_once": False, "REMOTE_ADDR": "127.0.0.1"}
    env.update({"HTTP_" + name.upper().replace("-", "_"): value for name, value in (headers or {}).items()})
    return env


def call(app, env):
    """One request through the WSGI app; its body is read to the end."""
    statuses = []
    body = app(dict(env, **{"wsgi.input": io.BytesIO()}), lambda status, headers, exc=None: statuses.append(status))
    b"".join(body)
    getattr(body, "close", lambda: None)()
    if not statuses[0].startswith("200"):
        raise SystemExit(f"{env['PATH_INFO']}: {statuses[0]}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--profile", action="append", metavar="ROUTE",
                        help='profile this route too ("GET /tasks", "bare autocommit", ...); may be repeated')
    args = parser.parse_args()

    dsn = recreate_database(DATABASE)
    os.environ.update(DATABASE_URL=dsn, GUNICORN_ACCESSLOG="", LOG_LEVEL="WARNING")
    try:
        subprocess.run([str(BIN / "flask"), "--app", "wsgi", "migrate"], cwd=ROOT, check=True, capture_output=True,
                       env=dict(os.environ))
        counter = [0]
        counting_connections(counter)
        import bench_app
        client = bench_app.app.test_client()
        org = client.post("/organizations", json={"name": "Acme", "schemaName": "acme"}).json
        admin = client.post(f"/organizations/{org['id']}/users",
                            json={"name": "Admin", "email": "admin@acme.example.com", "role": "admin"}).json
        seed_tasks(dsn, "acme", TASKS, admin["id"])
        app = bench_app.app.wsgi_app
        routes = {
            "GET /tasks": environ("/tasks", "limit=100", {"x-tenant-id": org["id"]}),
            "GET /tasks as a user": environ("/tasks", "limit=100", {"x-tenant-id": org["id"],
                                                                     "x-user-id": admin["id"]}),
            "bare": environ("/bare/acme/tasks"),
            "bare autocommit": environ("/bare-autocommit/acme/tasks"),
        }
        for env in routes.values():  # warm: caches, connections, plans
            for _ in range(50):
                call(app, env)
        timings = {name: [] for name in routes}
        trips = {}
        rounds = 10
        for _ in range(rounds):
            for name, env in routes.items():
                before, start = counter[0], time.perf_counter()
                for _ in range(args.requests // rounds):
                    call(app, env)
                timings[name].append((time.perf_counter() - start) / (args.requests // rounds) * 1e6)
                trips[name] = (counter[0] - before) / (args.requests // rounds)
        print(f"load: {os.getloadavg()[0]:.1f} (1 min); {args.requests} requests per route in {rounds} rounds")
        bare = statistics.median(timings["bare"])
        for name in routes:
            median = statistics.median(timings[name])
            print(f"  {name:22} {median:7.0f} us/request ({median / bare - 1:+.0%} vs bare)  "
                  f"{trips[name]:.1f} round trips")
        for name in args.profile or ():
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(args.requests):
                call(app, routes[name])
            profile.disable()
            print(f"\n{name}: cProfile of {args.requests} requests")
            stats = pstats.Stats(profile)
            stats.sort_stats("tottime").print_stats(25)
            stats.sort_stats("cumulative").print_stats(40)
        bench_app.database.close()
    finally:
        drop_database(DATABASE)


if __name__ == "__main__":
    main()
