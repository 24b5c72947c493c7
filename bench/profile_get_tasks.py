"""Where GET /tasks?limit=100 spends its time beside the bare routes, in one process, without gunicorn or wrk.

Each route is called through the WSGI app directly (a prepared environ, no
test client), N times in rotation, so only the app's own work and its round
trips are timed. Prints per route, per request (medians of the rounds): wall
microseconds, this process's CPU time and that of its PostgreSQL backends
(/proc/PID/schedstat, so PostgreSQL must run on this machine and be readable:
on a loaded machine CPU time is steadier than wall time), round trips (messages the cursors sent: each execute is
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

DATABASE = f"taskflask_profile_get_tasks_{os.getpid()}"  # two runs at once never share one
TASKS = 1000


def counting_connections(counter):
    """Make the pool's new connections count each statement their cursors send."""
    import psycopg2

    from taskflask import db

    @functools.cache
    def counting(base):
        """``base`` (a cursor class) that counts its statements."""
        class Counting(base):
            def execute(self, query, params=None):
                """Count one message (one round trip), then send it."""
                counter[0] += 1
                return super().execute(query, params)
        return Counting

    class CountingConnection(db.PooledConnection):
        def cursor(self, *args, cursor_factory=None, **kwargs):
            """A cursor of the class asked for (or the default), counting."""
            base = cursor_factory or self.cursor_factory or psycopg2.extensions.cursor
            return super().cursor(*args, cursor_factory=counting(base), **kwargs)

    db.ConnectionPool.connection_class = CountingConnection


def backend_pids(dsn):
    """PIDs of the app's PostgreSQL backends on this database (the pool's connections)."""
    import psycopg2
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                        "AND application_name = 'taskflask'")
            return [pid for (pid,) in cur.fetchall()]
    finally:
        conn.close()


def cpu_seconds(pids):
    """CPU time the processes ``pids`` have run (/proc/PID/schedstat, in nanoseconds; 0 where unreadable)."""
    total = 0
    for pid in pids:
        try:
            total += int(open(f"/proc/{pid}/schedstat").read().split()[0])
        except OSError:
            pass
    return total / 1e9


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
    """Seed a scratch database, time and count each route, profile the routes asked for, drop the database."""
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
        backends = backend_pids(dsn)  # opened by the warm-up; the pool keeps them
        wall, cpu, server = ({name: [] for name in routes} for _ in range(3))
        trips = {}
        rounds = 20
        per_round = args.requests // rounds
        for _ in range(rounds):
            for name, env in routes.items():
                before, start, start_cpu = counter[0], time.perf_counter(), time.process_time()
                start_server = cpu_seconds(backends)
                for _ in range(per_round):
                    call(app, env)
                wall[name].append((time.perf_counter() - start) / per_round * 1e6)
                cpu[name].append((time.process_time() - start_cpu) / per_round * 1e6)
                server[name].append((cpu_seconds(backends) - start_server) / per_round * 1e6)
                trips[name] = (counter[0] - before) / per_round
        print(f"load: {os.getloadavg()[0]:.1f} (1 min); {args.requests} requests per route in {rounds} rounds; "
              "wall time, this process's CPU time and its PostgreSQL backends' CPU time per request, "
              "medians of the rounds, against the bare route of the same form (one round trip, autocommit)")
        base = {figure: statistics.median(values["bare autocommit"])
                for figure, values in (("wall", wall), ("cpu", cpu), ("server", server))}
        for name in routes:
            w, c, b = (statistics.median(values[name]) for values in (wall, cpu, server))
            both = (c + b) / (base["cpu"] + base["server"]) - 1
            print(f"  {name:22} wall {w:6.0f} us ({w / base['wall'] - 1:+4.0%})  python CPU {c:5.0f} us "
                  f"({c - base['cpu']:+4.0f})  server CPU {b:5.0f} us ({b - base['server']:+4.0f})  "
                  f"both {both:+4.0%}  {trips[name]:.1f} round trips")
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
