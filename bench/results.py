"""Write bench/RESULTS.md from the figures the benchmark scripts saved in bench/.work/results/."""
import json
import os
import platform
import subprocess
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
RESULTS_DIR = BENCH / ".work" / "results"
RESULTS_MD = BENCH / "RESULTS.md"


def machine():
    """One line about where the figures were measured."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    postgres = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", "SHOW server_version"],
                              capture_output=True, text=True).stdout.strip()
    return (f"{os.cpu_count()} cores ({cpu}), {memory_gb:.0f} GiB, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, PostgreSQL {postgres}; shared with other jobs, so only "
            "ratios measured in the same run are compared")


def verdict(ok):
    return "**met**" if ok else "**not met**"


def requests_section(f):
    rows = ["| connections | GET /tasks req/s (p50 / p99 ms) | bare route, same form, req/s "
            "| machinery cost (target <= 10%) | bare route in a transaction req/s (cost against it) "
            "| peer GET /tasks req/s (p50 / p99 ms) | taskflask / peer (target >= 2x at 16, 64) "
            "| POST /tasks req/s (p50 / p99 ms) |",
            "|---|---|---|---|---|---|---|---|"]
    for c in ("1", "16", "64"):
        get, bare, auto, peer, post = (f[name][c] for name in
                                       ("get_tasks", "bare", "bare_autocommit", "peer_get_tasks", "post_tasks"))
        peer_ok = "" if c == "1" else " " + verdict(get["vs_peer"] >= 2.0)
        rows.append(f"| {c} | {get['rps']:.0f} ({get['p50_ms']:.1f} / {get['p99_ms']:.1f}) | {auto['rps']:.0f} "
                    f"| {get['machinery_cost']:.0%} {verdict(get['machinery_cost'] <= 0.10)} "
                    f"| {bare['rps']:.0f} ({get['cost_vs_transaction']:.0%}) "
                    f"| {peer['rps']:.0f} ({peer['p50_ms']:.1f} / {peer['p99_ms']:.1f}) "
                    f"| {get['vs_peer']:.2f}x{peer_ok} "
                    f"| {post['rps']:.0f} ({post['p50_ms']:.1f} / {post['p99_ms']:.1f}) |")
    start, end = f["load"]["start"], f["load"]["end"]
    return [
        "Reference: django-tenants 809-833 req/s at 16-64 connections with persistent connections "
        "(its README). Both servers: gunicorn with 2 worker processes, each as it ships: taskflask's "
        "gunicorn.conf.py worker (gunicorn's threaded worker with a bounded read, 8 threads, keep-alive, "
        "access log included), the peer's sync worker (its README; a sync worker closes each connection "
        "after its response); wrk on loopback; same 100-task payload "
        f"(~36.6 KB). Medians of {f['repeats']} interleaved runs; the ratios are medians of the "
        "ratios of runs made side by side.", "",
        "GET /tasks is one round trip: the search_path set from the registry and one statement holding the "
        "tenant check beside the page, sent as one message in autocommit (no BEGIN, no COMMIT). The bare route of the "
        "same form (bench/bench_app.py) runs the page's SQL on the same pool as one message in autocommit "
        "without the tenant machinery: no headers, no tenant/user check, no `SET LOCAL`, no validation, no "
        "Link header; the machinery target is measured against it. The bare route in a transaction sends "
        "`BEGIN` with the query, then `COMMIT` (the form of the writes).", "",
        *rows, "",
        f"Load average (1 / 5 / 15 min) at the start {start[0]:.1f} / {start[1]:.1f} / {start[2]:.1f}, "
        f"at the end {end[0]:.1f} / {end[1]:.1f} / {end[2]:.1f}. {f.get('note', '')}".rstrip(), "",
        "wrk commands (64 connections): " + "; ".join(f"`{cmd}`" for cmd in f["commands"].values()),
    ]


def export_section(f):
    rows = ["| rows | CSV MB | POST -> completed s | psql \\copy s | ratio (target <= 1.3x) "
            "| worker peak RSS growth MB (target <= 50, flat) | download s | disk read s | download / disk |",
            "|---|---|---|---|---|---|---|---|---|"]
    for n, s in f["sizes"].items():
        rows.append(f"| {int(n):,} | {s['csv_mb']:.0f} | {s['taskflask_s']:.2f} | {s['psql_copy_s']:.2f} "
                    f"| {s['ratio']:.2f}x {verdict(s['ratio'] <= 1.3)} "
                    f"| {s['worker_growth_mb']:.1f} {verdict(s['worker_growth_mb'] <= 50)} "
                    f"| {s['download_s']:.2f} | {s['disk_read_s']:.2f} | {s['download_ratio']:.2f}x |")
    p = f["peer"]
    return [
        "Reference: `psql \\copy` 1.14 s, copy_expert 1.21 s and 22 MB for 1M tasks (~270 MB). "
        f"Median of {f['repeats']} runs each; the worker is huey_consumer with 2 thread workers; "
        "its growth is peak RSS (VmHWM) minus RSS before the first export. "
        "Download: `GET /exports/<id>/download` through gunicorn (send_file, sendfile) into curl, against "
        "reading the same file from the disk itself (dd with O_DIRECT); below 1x the download is faster "
        "than the disk, served from the page cache the export left.", "", *rows, "",
        f"Download memory: gunicorn worker RSS grew {f['download_rss_growth_mb']:.1f} MB while sending the "
        "1M-row file (streamed, not read into memory).", "",
        f"Peer, same run, {p['rows']:,} tasks: django-tenants ORM export {p['orm_s']:.2f} s "
        f"({p['orm_rss_mb']:.0f} MB peak) vs `psql \\copy` {p['psql_copy_s']:.2f} s "
        f"= {p['orm_s'] / p['psql_copy_s']:.1f}x "
        f"(reference 2.42 s vs 0.26 s); taskflask exports as many rows in {p['taskflask_s']:.2f} s "
        f"(table above), {p['orm_s'] / p['taskflask_s']:.1f}x faster than the peer.",
    ]


def tenants_section(f):
    rows = ["| server | connections | 1 tenant req/s (p50 / p99 ms) | spread over all tenants req/s (p50 / p99 ms) "
            "| p50 spread / 1 tenant (target <= 1.10) |", "|---|---|---|---|---|"]
    servers = {"shared": "this machine's, as it is (max_files_per_process 1,000)",
               "tuned": f"private, max_files_per_process {f['max_files']:,}"}
    for server, label in servers.items():
        for c, s in f[server]["connections"].items():
            rows.append(f"| {label} | {c} "
                        f"| {s['one']['rps']:.0f} ({s['one']['p50_ms']:.1f} / {s['one']['p99_ms']:.1f}) "
                        f"| {s['spread']['rps']:.0f} ({s['spread']['p50_ms']:.1f} / {s['spread']['p99_ms']:.1f}) "
                        f"| {s['p50_ratio']:.2f} {verdict(s['p50_ratio'] <= 1.10)} |")
    memory = "; ".join(f"{server}: {f[server]['rss_before_mb']} MB before the spread runs, "
                       f"{f[server]['rss_after_mb']} MB after" for server in servers)
    return [
        f"{f['tenants']:,} tenants with {f['tasks_per_tenant']} tasks each; `GET /tasks?limit=100`, the spread run "
        f"rotates x-tenant-id over all of them (wrk -s {f['script']}). Medians of {f['repeats']} interleaved runs; "
        "the ratio is the median of the ratios of runs made side by side.", "",
        "A request opens the files of 5 relations of its tenant (tasks and its 4 indexes; 7 with users and "
        "its indexes when strace counted ~7 `openat` + `close` per request on 2026-11-29). A PostgreSQL "
        "backend keeps at most `max_files_per_process` files open (1,000 by default), so spread over 1,000 "
        "tenants each request re-opens them, and none for one tenant. The second server, started by the "
        "script, raises the setting (docker-compose.yml does too) and so opens nothing.",
        "", *rows, "",
        f"Memory per gunicorn worker (RSS): {memory}.",
    ]


def queue_section(f):
    return [
        f"{f['tenants']} tenants x {f['exports_per_tenant']} exports of {f['rows']:,} rows, each tenant one export "
        f"at a time (POST, poll until completed, next); huey_consumer with {f['workers']} workers.", "",
        f"- completed: {f['completed']} of {f['total']} {verdict(f['completed'] == f['total'])}",
        f"- wall time {f['seconds']:.1f} s: **{f['exports_per_s']:.2f} exports/s**",
        f"- slowest tenant's wait (POST to completed, worst single export): {f['slowest_wait_s']:.2f} s; "
        f"slowest tenant's total for its 5 exports: {f['slowest_tenant_total_s']:.1f} s; median export "
        f"{f['median_export_s']:.2f} s",
    ]


def citus_section(f):
    c, m = f["create"], f["move"]
    rows = ["| | p50 ms | p90 ms |", "|---|---|---|",
            f"| plain PostgreSQL, as the app does it (statements joined, one round trip) "
            f"| {c['plain_joined']['p50_ms']:.1f} | {c['plain_joined']['p90_ms']:.1f} |",
            f"| plain PostgreSQL, one statement per execute | {c['plain_one_by_one']['p50_ms']:.1f} "
            f"| {c['plain_one_by_one']['p90_ms']:.1f} |",
            f"| Citus cluster, CITUS=1: a distributed schema | {c['citus']['p50_ms']:.1f} "
            f"| {c['citus']['p90_ms']:.1f} |"]
    moves = ["| transfer mode | move | seconds | requests answered during it | errors | p50 / slowest request ms |",
             "|---|---|---|---|---|---|"]
    totals = []
    for mode, run in m["modes"].items():
        for number, move in enumerate(run["moves"], start=1):
            moves.append(f"| {mode} | {number} (to port {move['to_port']}) | {move['seconds']:.2f} "
                         f"| {move['requests']} | {move['errors']} | {move['p50_ms']:.0f} / {move['slowest_ms']:.0f} |")
        totals.append(f"- `{mode}`: median move {run['median_move_s']:.2f} s (requests before the moves: "
                      f"{run['baseline_p50_ms']:.0f} ms p50, {run['baseline_slowest_ms']:.0f} ms at most); "
                      f"{run['requests']:,} requests, {run['errors']} errors {verdict(run['errors'] == 0)}; "
                      f"{run['acknowledged_writes']:,} writes acknowledged, {run['lost_writes']} lost "
                      f"{verdict(run['lost_writes'] == 0)}")
    return [
        "A cluster of `../shared/citus/cluster.sh` (Citus 13.2.2 on PostgreSQL 15: a coordinator and two "
        "workers on this machine's loopback), started for the run. Creation: "
        f"{f['tenants']} organizations each way, created one after another and interleaved, each timed "
        "from BEGIN to COMMIT (schema, tables, migration records, registry row); on the cluster the "
        "registry is a reference table, so its row is written on every node.", "", *rows, "",
        f"Moves: a tenant with {m['tasks']:,} tasks moved between the two workers with "
        f"`citus_schema_move` while {m['clients']} clients alternate `GET /tasks?limit=100` and `POST /tasks` "
        "through gunicorn (CITUS=1), first with `shard_transfer_mode => 'block_writes'` (what the README "
        "tells operators), then with Citus' default `auto` (logical replication).", "", *moves, "", *totals,
    ]


def recovery_section(f):
    ok = max(f["alive_max_running_again_s"], f["alone_max_running_again_s"]) <= 10
    return [
        f"A tenant of {f['rows']:,} tasks; its export's huey_consumer (2 thread workers) is killed with SIGKILL "
        "once the worker holds the attempt's lock (its COPY is under way). Medians of "
        f"{f['repeats']} runs; \"running again\": a new attempt's worker holds its lock.", "",
        "| | running again (target <= 10 s, worst of the runs) | completed |",
        "|---|---|---|",
        f"| another consumer alive, from the kill | {f['alive_running_again_s']:.2f} s "
        f"({f['alive_max_running_again_s']:.2f} s) | {f['alive_completed_s']:.2f} s |",
        f"| no consumer left, from a new consumer's start | {f['alone_running_again_s']:.2f} s "
        f"({f['alone_max_running_again_s']:.2f} s) | {f['alone_completed_s']:.2f} s |", "",
        f"Running again within 10 s in every run: {verdict(ok)}.", "",
        f"Cost, {f['rows']:,} tasks, medians of side-by-side runs: POST -> completed while another client "
        f"reads GET /exports/<id> every second (as the Export tab does) {f['watched_1s_s']:.2f} s against "
        f"{f['unwatched_s']:.2f} s unwatched, {f['watched_1s_ratio']:.2f}x "
        f"{verdict(f['watched_1s_ratio'] <= 1.1)} (target <= 1.1x); read every 100 ms "
        f"{f['watched_100ms_s']:.2f} s, {f['watched_100ms_ratio']:.2f}x (those reads are gunicorn and "
        "PostgreSQL work on the same 2 cores). The export job's work in one process (claim with the row "
        "count, lock, COPY, completion) against a bare COPY of the same query into a file, fsynced and renamed, "
        f"as the export was before: {f['run_export_s']:.2f} s against {f['bare_copy_s']:.2f} s, "
        f"{f['run_export_ratio']:.2f}x {verdict(f['run_export_ratio'] <= 1.1)} (target <= 1.1x).",
    ]


def tenants10k_section(f):
    m, c, b = f["migrate"], f["creating_backend"], f["migrate_backends"]["max"]
    k = f["catalog"]
    rows = ["| | p50 ms | p95 ms | fresh database beside it, p50 / p95 ms | ratio of p50s |",
            "|---|---|---|---|---|"]
    for name in ("first", "last"):
        mine, fresh = f[name], f[f"fresh_{name}"]
        rows.append(f"| {name} {f['window']} of {f['tenants']:,} | {mine['p50_ms']:.1f} | {mine['p95_ms']:.1f} "
                    f"| {fresh['p50_ms']:.1f} / {fresh['p95_ms']:.1f} | {f[f'{name}_vs_fresh']:.2f}x |")
    migration = "; ".join(f"`{line.rstrip(';')}`" for line in f["migration"].splitlines())
    return [
        "On a private PostgreSQL server of the machine's version (PostgreSQL's default settings while "
        f"building), a scratch database of {f['tenants']:,} tenants (pg_class {k['pg_class_rows']:,} rows, pg_index "
        f"{k['pg_index_rows']:,}, {k['database_mb']:,.0f} MB; dropped after the run). Organizations are created "
        "one after another with `create_organization` (what `POST /organizations` runs: the schema from "
        "sql/tenant/baseline.sql, its migration records and the registry row in one round trip), each timed "
        "from BEGIN to COMMIT; after every fifth of the first and of the last 500, one is created in a "
        f"fresh database (its {f['fresh_count']} of each window are its figures), so both see the same load. "
        "The machine was shared with other jobs during the run (load average "
        f"{f['load_average']}), so single figures are noisy. Machine of this run: {f['machine']}.", "", *rows, "",
        f"Last {f['window']} against a fresh database: {f['last_vs_fresh']:.2f}x "
        f"{verdict(f['last_vs_fresh'] <= 1.2)} (target <= 1.2x). The backend that created every tenant: RSS "
        f"{c['rss_mb']:.0f} MB, {c['anon_mb']:.0f} MB of it private.", "",
        "One migration to every tenant (the server now at docker-compose.yml's settings, see below), written "
        f"the fast way of sql/tenant/README.md: {migration}. "
        "`python -m taskflask.cli.migrate --jobs 2` (what `taskflask-migrate` runs) from a copy of the checkout "
        "with that file: "
        f"**{m['run_s']:.1f} s** ({m['per_schema_ms']:.2f} ms a schema; {m['wall_s']:.1f} s with the command's "
        f"start-up) {verdict(m['run_s'] < 60)} (target < 60 s); {m['schemas_at_new_version']:,} schemas at "
        f"version {m['version']} after it. A second run with nothing pending: {m['noop_run_s']:.2f} s in the "
        f"run, {m['noop_wall_s']:.2f} s for the whole command (Python start-up and imports included) "
        f"{verdict(m['noop_wall_s'] < 1)} (target < 1 s). "
        f"The migrate run's backends, peak of {f['migrate_backends']['count']}: RSS {b['rss_mb']:.0f} MB, "
        f"{b['anon_mb']:.0f} MB private (each one keeps every tenant relation it opened in its caches). "
        f"The whole benchmark: {f['bench_seconds'] / 60:.1f} min {verdict(f['bench_seconds'] < 900)} "
        "(target < 15 min).", *spread_section(f),
    ]


RUN_LABELS = (("one_before_first", "one tenant"), ("first", "spread, first pass"),
              ("one_before_second", "one tenant"), ("second", "spread, second pass"))


def spread_rows(f):
    """The wrk runs of bench_10k.py's request phase, one row a server setting, policy and run."""
    rows = ["| server settings | recycling | run | req/s | p50 ms | p99 ms | p50 against one tenant "
            "| peak backend RSS MB (private / shared) | backends | load (1 min) |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for config in ("defaults", "tuned"):
        settings = ", ".join(f"{k}={v}" for k, v in f[config]["settings"].items()) or "PostgreSQL defaults"
        r = f[config]["requests"]
        for policy in r["rounds"]:
            for name, label in RUN_LABELS:
                run = r[policy][name]
                ratio = f"{r[policy][name + '_ratio']:.2f}x" if name in ("first", "second") else ""
                rows.append(f"| {settings} | {policy} | {label} | {run['rps']:.0f} | {run['p50_ms']:.1f} "
                            f"| {run['p99_ms']:.1f} | {ratio} | {run['peak_rss_mb']:.0f} ({run['peak_anon_mb']:.0f} / "
                            f"{run['peak_shmem_mb']:.0f}) | {run['backends_seen']:.0f} | {run['load_1min']:.1f} |")
    return rows


def cold_rows(f):
    """bench/cold_tenants.py's figures under both server settings."""
    rows = ["| server settings | pass | p50 ms | mean ms | shared buffers found / read a request "
            "| KB from storage a request |", "|---|---|---|---|---|---|"]
    for config in ("defaults", "tuned"):
        settings = ", ".join(f"{k}={v}" for k, v in f[config]["settings"].items()) or "PostgreSQL defaults"
        c = f[config]["cold"]
        for name, label in (("cold", "new backend, tenants no backend has served"),
                            ("warm", "same backend, same tenants again"),
                            ("rebuilt", "new backend, same tenants (pages in buffers)")):
            rows.append(f"| {settings} | {label} | {c[name]['p50_ms']:.2f} | {c[name]['mean_ms']:.2f} "
                        f"| {c[name]['hit']:.0f} / {c[name]['read']:.0f} | {c[name]['storage_kb']:.0f} |")
    return rows


def catalog_mb(f):
    """The catalogs' size, and the database's (the catalogs' own only in figures saved since it was measured)."""
    k = f["catalog"]
    whole = f"{k['database_mb']:,.0f} MB of database in all"
    return f"{float(k['catalog_mb']):,.0f} MB of the {whole}" if "catalog_mb" in k else whole


def peak(policy, memory):
    """The highest peak ``memory`` (rss, anon) MB of any backend in the spread runs of one policy."""
    return max(policy["first"][f"peak_{memory}_mb"], policy["second"][f"peak_{memory}_mb"])


WRITE_CHECK_OPENS = "; measured with the check of a write, whose user lookup opens the users relations"


def spread_section(f):
    """bench_10k.py's request phase: latency flat in tenants, backend memory, the organization search."""
    tuned, defaults = f["tuned"], f["defaults"]
    on, off = tuned["requests"]["on"], tuned["requests"]["off"]
    w = tuned["requests"]["workers"]
    searches = tuned["requests"]["searches"]
    slowest = max((s for s in searches.values() if "q" in s), key=lambda s: s["p50_ms"])
    cold = tuned["cold"]
    # Figures saved before the policy was recorded ran with the default of then, 100.
    max_schemas = tuned["requests"].get("policies", {}).get("on", {}).get("DB_CONNECTION_MAX_SCHEMAS", "100")
    return [
        "", f"GET /tasks?limit=100 spread over all {f['tenants']:,} tenants ({tuned['requests']['tasks_per_tenant']} "
        f"tasks each), through gunicorn as the app ships (gunicorn.conf.py: {w['workers']} workers x {w['threads']} "
        f"threads, pools of {w['pool']}), wrk c{tuned['requests']['connections']}, {tuned['requests']['seconds']} s "
        "a run, wrk's threads naming the next tenant on every request and starting half the list apart (no "
        "run meets a tenant twice). A round: gunicorn restarted (new backends, empty caches), one tenant, the "
        "spread (first pass), one tenant, the spread again over the same tenants (second pass); the ratio is "
        "the median over rounds of each pass against the one-tenant run before it. The benchmark runs a private "
        "PostgreSQL server (same version) twice on the same data: with PostgreSQL's defaults (as the shared "
        "server), and with the settings docker-compose.yml sets; after each restart every table and index is "
        "read into shared_buffers with pg_prewarm, as on a server that has run a while, and then the kernel's "
        "cache of the database's files is dropped (posix_fadvise), so what shared_buffers does not hold comes "
        "from storage, as it did for the shared server's cold requests on this machine. Peak memory of any "
        "app backend, sampled every 0.25 s from /proc/<pid>/status. The two settings run one after the "
        "other, not interleaved, so compare ratios within one of them, not across: the machine's load "
        "(last column) moved between them.", "", *spread_rows(f), "",
        f"Latency flat in tenants, settings of docker-compose.yml, recycling as shipped: first pass "
        f"{on['first_ratio']:.2f}x, second {on['second_ratio']:.2f}x of one tenant "
        f"{verdict(on['first_ratio'] <= 1.2)} (target <= 1.2x, first pass included); with PostgreSQL's defaults "
        f"{defaults['requests']['on']['first_ratio']:.2f}x and {defaults['requests']['on']['second_ratio']:.2f}x.",
        "",
        f"Bounded backend memory (docker-compose.yml's settings): with recycling as shipped "
        f"(DB_CONNECTION_MAX_SCHEMAS={max_schemas}, DB_CONNECTION_LIFETIME=1h) no backend passed "
        f"{peak(on, 'rss'):.0f} MB RSS "
        f"{verdict(peak(on, 'rss') < 100)} (target < about 100 MB), of which {peak(on, 'anon'):.0f} MB private "
        f"{verdict(peak(on, 'anon') < 100)}: the rest is pages of shared memory it touched, the same pages in "
        f"every backend (with PostgreSQL's defaults {peak(defaults['requests']['on'], 'rss'):.0f} MB, "
        f"{peak(defaults['requests']['on'], 'anon'):.0f} MB private); "
        f"with it off (DB_CONNECTION_MAX_SCHEMAS=0) {peak(off, 'rss'):.0f} MB ({peak(off, 'anon'):.0f} MB private) "
        "after two passes, "
        "and growing with every tenant a backend meets. The cost in throughput, on against off: "
        f"{tuned['requests']['on_vs_off_rps']['first']:.2f}x in the first pass, "
        f"{tuned['requests']['on_vs_off_rps']['second']:.2f}x in the second. A new backend's connection and "
        f"first request take {cold['new_backend_ms']:.1f} ms against {cold['warm']['p50_ms']:.2f} ms for a warm "
        f"request, once every {max_schemas} tenants a connection serves.", "",
        f"Why a tenant a backend has not served costs more (`bench/cold_tenants.py`: GET /tasks's SQL on one "
        f"connection, {cold['sample']} tenants spread over the registry, BEGIN to COMMIT at the client; buffers "
        "from pg_stat_database, storage reads from /proc/<pid>/io):", "", *cold_rows(f), "",
        # Runs before "opened_by" was saved opened them with a write's check, which looks the user up too.
        f"A request opens {len(cold['opened'])} tenant relations ({', '.join(cold['opened'])}"
        f"{'' if cold.get('opened_by') == 'read' else WRITE_CHECK_OPENS}): the planner opens "
        "every index of the tables it plans, and each relation a backend has not opened yet is built from the "
        "catalogs (the third row against the second: the catalog rows are then in shared_buffers). With "
        f"shared_buffers at its default of 128 MB, the catalogs ({catalog_mb(f)}) do not stay there, and a "
        "cold request waits for catalog and index pages from storage (the first row); with 1 GB the catalogs "
        "stay, and what is still read are the tenant's own pages (index metapages the planner reads, the "
        "rows), which 1 GB cannot hold for every tenant.", "",
        f"`GET /organizations?q=...&limit=20` at {f['tenants']:,} organizations (one client, keep-alive): p50 "
        f"{searches['all']['p50_ms']:.2f} ms over all searches, the slowest ({slowest['q']!r}) "
        f"{slowest['p50_ms']:.2f} ms {verdict(slowest['p50_ms'] < 20)} (target p50 < 20 ms).",
    ]


SEARCH_TARGET_MS = 20


def search_section(f):
    """bench_search.py: each search and count route's p50/p95 on one tenant, against the 20 ms target."""
    routes = [key[:-len(" p50_ms")] for key in f
              if key.endswith(" p50_ms") and not key.startswith(("SQL", "JIT"))]
    lines = [
        f"One tenant of {f['tasks']:,} tasks through {f['server']}; each route asked {f['requests_per_route']} "
        f"times ({f['client']}), after a few warm-up requests, "
        + (f"in {f['rounds']} rounds that each ask every route in turn (the machine's speed drifts; rounds "
           "spread it over every route alike). " if "rounds" in f else "one after another. ")
        + "Titles carry words of three "
        "frequencies (quokka in 10 tasks, each of 200 eight-letter words in 0.5%, report in half) and "
        "archived in 10% of the older half only. Load average before "
        f"{f['load average before']}, after {f['load average after']}.", "",
        f"| route | p50 ms | p95 ms | answer | p50 < {SEARCH_TARGET_MS} ms |",
        "|---|---|---|---|---|",
    ]
    for route in routes:
        p50 = f[f"{route} p50_ms"]
        answer = f[f"{route} answer"]
        answer = f"{answer} tasks" if isinstance(answer, int) else json.dumps(answer)
        lines.append(f"| {route} | {p50:.1f} | {f[f'{route} p95_ms']:.1f} | {answer} | "
                     f"{verdict(p50 < SEARCH_TARGET_MS)} |")
    lines += ["", "What the counts route saves, timed in SQL (p50): "
              + "; ".join(f"{key[len('SQL '):-len(' p50_ms')]} {f[key]:.1f} ms ({f[key[:-len(' p50_ms')]]:,} rows)"
                          for key in f if key.startswith("SQL") and key.endswith(" p50_ms")) + "."]
    if "JIT above cost" in f:
        searches = [key[len("JIT q="):-len(" plan cost")] for key in f if key.endswith(" plan cost")]
        lines += ["", "What turning JIT off in a request saves, timed in SQL (p50; the server compiles a plan that "
                  f"costs more than {f['JIT above cost']}): "
                  + "; ".join(f"q={q}, plan cost {f[f'JIT q={q} plan cost']:,}: {f[f'JIT q={q} server p50_ms']:.1f} ms "
                              f"with the server's JIT, {f[f'JIT q={q} off p50_ms']:.1f} ms with it off"
                              for q in searches) + "."]
    return lines


SECTIONS = [
    ("export", "Export: 1,000,000 tasks at COPY speed, flat memory, streamed download", export_section),
    ("requests", "Requests: GET /tasks?limit=100 and POST /tasks under gunicorn", requests_section),
    ("tenants", "Tenants: 1,000 tenants against one", tenants_section),
    ("queue", "Queue throughput: 20 tenants x 5 exports, 2 consumer workers", queue_section),
    ("citus", "Citus: tenant creation on a cluster, schema moves under requests", citus_section),
    ("recovery", "Recovery: an export whose worker was killed with SIGKILL runs again", recovery_section),
    ("tenants10k", "Ten thousand tenants: creation from the baseline, one migration to all", tenants10k_section),
    ("search", "Search and counts: one tenant of 1,000,000 tasks", search_section),
]


def written_sections():
    """{title: lines} of the RESULTS.md there is, to keep a section measured on another checkout."""
    sections, title = {}, None
    for line in RESULTS_MD.read_text().splitlines() if RESULTS_MD.exists() else []:
        if line.startswith("## "):
            title = line[3:]
            sections[title] = []
        elif title is not None:
            sections[title].append(line)
    return {title: "\n".join(lines).strip().splitlines() for title, lines in sections.items()
            if "Not measured yet." not in lines}


def write():
    """RESULTS.md with every section that has figures (here, or in the RESULTS.md it replaces)."""
    earlier = written_sections()
    lines = ["# taskflask benchmarks", "", f"Written by `make bench` (bench/*.py) on {time.strftime('%Y-%m-%d')}.",
             "", "Each section's last line names the machine it was measured on (sections written before "
             "2026-12-03 13:30 UTC do not: the machines here differ from day to day, so compare figures only "
             "within a section).", ""]
    for name, title, render in SECTIONS:
        path = RESULTS_DIR / f"{name}.json"
        lines += [f"## {title}", ""]
        figures = json.loads(path.read_text()) if path.exists() else None
        try:
            rendered = render(figures) if figures else None
        except KeyError:  # saved by an older version of its script
            rendered = None
        if rendered:
            lines += rendered
            on = f" on {figures['measured_on']}" if "measured_on" in figures else ""
            lines += ["", f"Measured {figures['date']}{on}; reproduce with `{figures['command']}` "
                      "(or all of them with `make bench`).", ""]
        elif title in earlier:
            lines += [*earlier[title], ""]
        else:
            lines += ["Not measured yet.", ""]
    RESULTS_MD.write_text("\n".join(lines))


if __name__ == "__main__":
    write()
