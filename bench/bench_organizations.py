"""Organizations at scale: GET /organizations with 10,000 organizations in the registry.

The rows go straight into public.organizations of a scratch database (no
schemas: only the registry is read). A real gunicorn (2 workers of gunicorn.conf.py, threaded) answers
one client on keep-alive, one request at a time:
  - the picker's search, ?q=...&limit=20, for words that match one, a few
    hundred, or thousands of rows, and for schema names;
  - the walk through every organization in name order, ?limit=20 and the
    cursor of each page's Link header;
  - the seed's call without parameters (every organization, oldest first).
Prints p50 and p95 of each, then drops the database.

Target: p50 of the search under 20 ms at 10,000 organizations.

    .venv/bin/python bench/bench_organizations.py [--organizations 10000]
"""
import argparse
import time

import psycopg2

from common import percentile
from harness import api_only, log

WORDS = ("Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne", "Wonka", "Tyrell",
         "Cyberdyne", "Soylent", "Gringotts", "Monarch", "Oscorp", "Pied Piper", "Massive", "Dynamic")
KINDS = ("Corp", "Labs", "Industries", "Holdings", "Logistics", "Studio", "Partners", "Foods")
# (label, q): one match, hundreds, thousands, almost every row, digits, a schema name, two letters, nothing.
SEARCHES = (("one name", "Globex Foods 07777"), ("a word", "Stark"), ("common", "Corp"), ("almost every row", "0"),
            ("three digits", "000"), ("schema name", "stark_lab"), ("two letters", "ac"),
            ("no match", "zzzzqqq"))
REPEATS = 200


def insert_organizations(dsn, count):
    """``count`` registry rows with names like "Acme Labs 00042" and schema names like acme_labs_00042."""
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("""INSERT INTO public.organizations (name, schema_name)
                       SELECT w.word || ' ' || k.kind || ' ' || lpad(i::text, 5, '0'),
                              lower(replace(w.word, ' ', '_')) || '_' || lower(k.kind) || '_' || i
                       FROM generate_series(1, %(count)s) AS i,
                            LATERAL (SELECT (%(words)s::text[])[1 + i %% %(nwords)s] AS word) AS w,
                            LATERAL (SELECT (%(kinds)s::text[])[1 + (i / 7) %% %(nkinds)s] AS kind) AS k""",
                    {"count": count, "words": list(WORDS), "nwords": len(WORDS),
                     "kinds": list(KINDS), "nkinds": len(KINDS)})
        cur.execute("ANALYZE public.organizations")
        cur.execute("SELECT count(*) FROM public.organizations")
        total = cur.fetchone()[0]
    conn.close()
    return total


def timed_get(app, url):
    """(milliseconds, response) of one GET."""
    started = time.perf_counter()
    response = app.session.get(app.url + url, timeout=30)
    elapsed = (time.perf_counter() - started) * 1000
    response.raise_for_status()
    return elapsed, response


def figures(label, milliseconds, extra=""):
    log(f"  {label:<32} p50 {percentile(milliseconds, 50):7.2f} ms   p95 {percentile(milliseconds, 95):7.2f} ms"
        f"   n={len(milliseconds)}{extra}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organizations", type=int, default=10_000)
    args = parser.parse_args()
    with api_only("taskflask_bench_organizations") as app:
        total = insert_organizations(app.dsn, args.organizations)
        log(f"{total} organizations in the registry; one client, keep-alive, gunicorn 2 threaded workers")
        for _ in range(20):  # warm both workers' pools and the server's caches
            timed_get(app, "/organizations?q=acme&limit=20")

        log("GET /organizations?q=...&limit=20")
        everything = []
        for label, q in SEARCHES:
            runs = [timed_get(app, f"/organizations?q={q}&limit=20") for _ in range(REPEATS)]
            times = [ms for ms, _ in runs]
            everything += times
            figures(f"{label} ({q!r})", times, f"   {len(runs[0][1].json())} rows"
                    + (", more follow" if "Link" in runs[0][1].headers else ""))
        figures("all searches", everything)

        log("GET /organizations?limit=20, then each page's Link rel=next")
        pages, url, seen = [], "/organizations?limit=20", 0
        while url:
            ms, response = timed_get(app, url)
            pages.append(ms)
            seen += len(response.json())
            link = response.headers.get("Link")
            url = link[1:link.index(">")] if link else None
        figures("a page of 20 by cursor", pages, f"   {len(pages)} pages, {seen} organizations")

        log("GET /organizations (no parameters: every organization)")
        whole = [timed_get(app, "/organizations") for _ in range(30)]
        figures("every organization", [ms for ms, _ in whole],
                f"   {len(whole[0][1].json())} rows, {len(whole[0][1].content) / 1e6:.2f} MB")
    log("scratch database dropped")


if __name__ == "__main__":
    main()
