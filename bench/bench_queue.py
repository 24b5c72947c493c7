"""Queue throughput: 20 tenants x 5 exports of 10,000 tasks, one export at a time per tenant.

Each tenant is a client thread that starts an export, polls it until it is
completed, then starts the next, five times; huey_consumer runs with 2
workers. Reports exports/s over the whole run and the slowest tenant's wait.

Target: all 100 complete.
"""
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

from harness import Taskflask, log, save

TENANTS = 20
EXPORTS = 5
ROWS = 10_000
WORKERS = 2
POLL_SECONDS = 0.05


def main():
    with Taskflask("taskflask_bench_queue", consumer_workers=WORKERS) as app:
        admins = [app.create_tenant(f"queue_{n:02d}", tasks=ROWS)[1] for n in range(TENANTS)]

        def one_tenant(admin):
            waits = []
            for _ in range(EXPORTS):
                seconds, export = app.export(admin, poll=POLL_SECONDS)
                if export["rowCount"] != ROWS:
                    raise RuntimeError(f"export has {export['rowCount']} rows")
                waits.append(seconds)
            return waits

        start = time.perf_counter()
        with ThreadPoolExecutor(TENANTS) as pool:
            waits = list(pool.map(one_tenant, admins))
        seconds = time.perf_counter() - start

    every = [w for tenant in waits for w in tenant]
    figures = {"tenants": TENANTS, "exports_per_tenant": EXPORTS, "rows": ROWS, "workers": WORKERS,
               "total": TENANTS * EXPORTS, "completed": len(every), "seconds": seconds,
               "exports_per_s": len(every) / seconds, "slowest_wait_s": max(every),
               "slowest_tenant_total_s": max(sum(tenant) for tenant in waits),
               "median_export_s": statistics.median(every)}
    log(figures)
    save("queue", figures)


if __name__ == "__main__":
    main()
