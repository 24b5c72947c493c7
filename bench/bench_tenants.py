"""Tenants: GET /tasks?limit=100 with 1,000 tenants, one tenant against all of them in turn.

1,000 organizations (each its own schema, one admin, 150 tasks) in one
database. wrk asks either always the same tenant, or each request the next
tenant of the 1,000 (a Lua script rotating x-tenant-id), at 1, 16 and 64
connections, interleaved; the ratio is the median of side-by-side pairs. Each
gunicorn worker's RSS is read before and after the spread runs: nothing per
tenant may grow without bound. All of it twice: on the shared server as it
is, and on a private cluster with max_files_per_process raised (see MAX_FILES).

Target: p50 latency spread over 1,000 tenants within 10% of the one-tenant figure.
"""
import json

from harness import (
    REPEATS,
    WORK,
    PrivatePostgres,
    Taskflask,
    interleaved,
    log,
    memory_kb,
    paired_ratio,
    save,
    summary,
    wrk,
)

TENANTS = 1000
TASKS = 150
CONNECTIONS = (1, 16, 64)
SCRIPT = WORK / "rotate_tenants.lua"
ONE_SCRIPT = WORK / "one_tenant.lua"
# A request opens the files of 6 relations of its tenant (tasks and its 5 indexes). PostgreSQL keeps
# at most max_files_per_process (1,000 by default) open per backend, so over 1,000 tenants each
# request re-opens them; 10,000 holds them all.
MAX_FILES = 10_000


def rotating_script(path, tenant_ids):
    """A wrk script that names the next tenant on every request; each thread starts elsewhere.

    The one-tenant runs use it too, with a list of one, so that wrk spends the
    same on building requests in both.
    """
    path.parent.mkdir(parents=True, exist_ok=True)  # bench/.work, absent in a fresh checkout
    path.write_text(f"""
local ids = {{{", ".join(json.dumps(i) for i in tenant_ids)}}}
local started = 0
setup = function(thread)
  thread:set("offset", started)
  started = started + {len(tenant_ids) // 2 + 7}
end
init = function(args) i = offset end
request = function()
  i = (i % #ids) + 1
  return wrk.format("GET", "/tasks?limit=100", {{ ["x-tenant-id"] = ids[i] }})
end
""")
    return path


def worker_rss_mb(app):
    return [round(memory_kb(pid, "VmRSS") / 1024, 1) for pid in app.worker_pids()]


def measure(server_url=None):
    """One-tenant and spread runs on a fresh database of ``server_url``; figures and worker RSS."""
    with Taskflask("taskflask_bench_tenants", server_url=server_url) as app:
        tenant_ids = []
        for n in range(TENANTS):
            reader, _ = app.create_tenant(f"tenant_{n:04d}", tasks=TASKS)
            tenant_ids.append(reader["x-tenant-id"])
            if n % 100 == 99:
                log(f"{n + 1} tenants created")
        url = app.url + "/tasks?limit=100"
        one, spread = rotating_script(ONE_SCRIPT, tenant_ids[:1]), rotating_script(SCRIPT, tenant_ids)
        wrk(url, 16, script=one, seconds=3)
        rss_before = worker_rss_mb(app)
        wrk(url, 16, script=spread, seconds=5)  # every worker's connection meets every schema once
        runs = interleaved({"one": {"url": url, "script": one}, "spread": {"url": url, "script": spread}},
                           CONNECTIONS)
        rss_after = worker_rss_mb(app)
    figures = {c: {"one": summary(runs["one"][c]), "spread": summary(runs["spread"][c]),
                   "p50_ratio": paired_ratio(runs["spread"][c], runs["one"][c], "p50_ms")}
               for c in CONNECTIONS}
    log(figures)
    log(f"worker RSS MB before {rss_before}, after {rss_after}")
    return {"connections": figures, "rss_before_mb": rss_before, "rss_after_mb": rss_after}


def main():
    shared = measure()
    with PrivatePostgres(max_files_per_process=MAX_FILES) as server:
        tuned = measure(server.url)
    save("tenants", {"shared": shared, "tuned": tuned, "max_files": MAX_FILES, "tenants": TENANTS,
                     "tasks_per_tenant": TASKS,
                     "script": "bench/.work/rotate_tenants.lua", "repeats": REPEATS})


if __name__ == "__main__":
    main()
