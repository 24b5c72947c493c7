"""Export: POST /tasks/export -> completed against `psql \\copy` of the same rows, in the same run.

For 100k, 200k and 1M tasks: the median time from POST /tasks/export until
GET /exports/<id> says completed, and of `psql \\copy` of the same rows in the
same order; the huey_consumer's peak RSS growth after each size (flat means
the 1M figure is the 100k one); the download through gunicorn against reading
the file from disk (O_DIRECT, so the page cache does not flatter it). Then the
peer's ORM export of 200k tasks against `psql \\copy` of its table.

Targets: at most 1.3x psql at 1M; worker growth at most 50 MB and flat.
"""
import statistics
import subprocess
import time

import peer
from harness import REPEATS, WORK, Taskflask, log, memory_kb, save, timed

SIZES = (100_000, 200_000, 1_000_000)
PEER_ROWS = 200_000
COLUMNS = "id, title, description, status, created_by, created_at, updated_at, completed_at"
PSQL = ["psql", "-X", "-q", "-h", "127.0.0.1", "-U", "postgres"]


def psql_copy(database, source, out):
    """Seconds of psql \\copy of ``source`` (a table, or a query in parentheses) to ``out``.

    The file is removed at once: left behind, its 270 MB of dirty pages would be
    written back during the next export and slow down that export's fsync.
    """
    seconds = timed([*PSQL, "-d", database, "-c", f"\\copy {source} TO '{out}' WITH (FORMAT csv, HEADER)"])[0]
    out.unlink()
    return seconds


def newest_first(table):
    """The export's rows in the export's order, as a psql \\copy source."""
    return f"(SELECT {COLUMNS} FROM {table} ORDER BY created_at DESC, id DESC)"


def disk_read_seconds(path):
    """Reading the file from the disk itself, bypassing the page cache."""
    start = time.perf_counter()
    subprocess.run(["dd", f"if={path}", "of=/dev/null", "bs=4M", "iflag=direct"], check=True,
                   capture_output=True)
    return time.perf_counter() - start


def download_seconds(app, headers, export_id):
    """GET /exports/<id>/download through gunicorn into /dev/null (curl)."""
    args = [f"-H{name}: {value}" for name, value in headers.items()]
    out = subprocess.run(["curl", "-sf", "-o", "/dev/null", "-w", "%{time_total}", *args,
                          f"{app.url}/exports/{export_id}/download"], check=True, capture_output=True, text=True)
    return float(out.stdout)


def main():
    peer.install()
    peer.create_database({"t1": PEER_ROWS})
    sizes = {}
    with Taskflask("taskflask_bench_export") as app:
        consumer = app.consumer.pid
        baseline_kb = memory_kb(consumer, "VmRSS")
        download_growth_mb = 0.0
        for rows in SIZES:
            schema = f"export_{rows}"
            _, admin = app.create_tenant(schema, tasks=rows)
            out = WORK / f"{schema}.csv"
            psql_copy(app.name, newest_first(f"{schema}.tasks"), out)  # warm the cache for both sides
            app.export(admin)
            runs = []
            for repeat in range(REPEATS):
                psql_s = psql_copy(app.name, newest_first(f"{schema}.tasks"), out)
                app_s, export = app.export(admin)
                runs.append((app_s, psql_s))
                log(f"#{repeat} {rows:>9,} rows: taskflask {app_s:.2f} s, psql \\copy {psql_s:.2f} s")
            path = app.exports_dir / schema / f"{export['id']}.csv"
            before = max(memory_kb(pid, "VmHWM") for pid in app.worker_pids())
            download_s = statistics.median(download_seconds(app, admin, export["id"]) for _ in range(REPEATS))
            download_growth_mb = (max(memory_kb(pid, "VmHWM") for pid in app.worker_pids()) - before) / 1024
            disk_s = statistics.median(disk_read_seconds(path) for _ in range(REPEATS))
            app_s = statistics.median(r[0] for r in runs)
            psql_s = statistics.median(r[1] for r in runs)
            sizes[rows] = {
                "rows_exported": export["rowCount"], "csv_mb": path.stat().st_size / 2**20,
                "taskflask_s": app_s, "psql_copy_s": psql_s, "ratio": app_s / psql_s,
                "worker_growth_mb": (memory_kb(consumer, "VmHWM") - baseline_kb) / 1024,
                "download_s": download_s, "disk_read_s": disk_s, "download_ratio": download_s / disk_s,
            }
            log(f"{rows:>9,} rows: {sizes[rows]}")

    peer_out = WORK / "peer_export.csv"
    orm = [timed(peer.export_command("t1", peer_out), cwd=peer.DJT / "proj") for _ in range(REPEATS)]
    copy = [psql_copy(peer.DATABASE, "t1.tasks_task", peer_out) for _ in range(REPEATS)]
    peer.drop_database()
    peer_figures = {"rows": PEER_ROWS, "orm_s": statistics.median(s for s, _ in orm),
                    "orm_rss_mb": statistics.median(mb for _, mb in orm),
                    "psql_copy_s": statistics.median(copy), "taskflask_s": sizes[PEER_ROWS]["taskflask_s"]}
    log(f"peer: {peer_figures}")
    save("export", {"sizes": sizes, "peer": peer_figures, "download_rss_growth_mb": download_growth_mb,
                    "repeats": REPEATS})


if __name__ == "__main__":
    main()
