"""GET /organizations: the seed's full list without parameters, a searchable keyset-paged list with them,
and GET /organizations/<id>."""
import base64
import json
import uuid

import pytest

from support.tenants import unique_schema
from taskflask.data.organizations import has_trigram, like_pattern
from taskflask.data.queries import queries, text_of
from taskflask.db import database
from taskflask.web.schemas import OrganizationSchema


def create_org(client, name, schema_name=None):
    response = client.post("/organizations", json={"name": name, "schemaName": schema_name or unique_schema("s")})
    assert response.status_code == 201, response.json
    return response.json


def next_url(response):
    """The rel="next" target of the Link header, or None."""
    link = response.headers.get("Link")
    if link is None:
        return None
    assert link.endswith('>; rel="next"') and link.startswith("<"), link
    return link[1:link.index(">")]


def walk(client, url):
    """Every item of every page from ``url`` on, following the Link headers; and the pages' sizes."""
    items, sizes = [], []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.json
        items += response.json
        sizes.append(len(response.json))
        url = next_url(response)
    return items, sizes


@pytest.fixture
def tag():
    """A word no other test's organization names contain."""
    return uuid.uuid4().hex[:10]


@pytest.fixture
def registry_rows(db):
    """Insert organization rows straight into the registry (no schemas); removed afterwards."""
    prefix = f"rows_{uuid.uuid4().hex[:8]}"

    def insert(names):
        with db.cursor() as cur:
            cur.execute("SELECT coalesce(max(schema_version), 0) FROM public.organizations")
            version = cur.fetchone()[0]
            cur.execute("""INSERT INTO public.organizations (name, schema_name, schema_version)
                           SELECT name, %(prefix)s || '_' || n, %(version)s
                           FROM unnest(%(names)s::text[]) WITH ORDINALITY AS t(name, n)""",
                        {"prefix": prefix, "names": list(names), "version": version})
            cur.execute("ANALYZE public.organizations")
        return prefix

    yield insert
    with db.cursor() as cur:
        cur.execute("DELETE FROM public.organizations WHERE schema_name LIKE %s", (prefix + r"\_%",))


def test_without_parameters_every_organization_comes_oldest_first_as_a_plain_array(client, db, tag):
    create_org(client, f"Zulu {tag}")
    create_org(client, f"alpha {tag}")
    response = client.get("/organizations")
    assert response.status_code == 200 and "Link" not in response.headers
    with db.cursor() as cur:
        cur.execute("SELECT id::text FROM public.organizations ORDER BY created_at, id")
        assert [org["id"] for org in response.json] == [row[0] for row in cur]
    # The seed's bytes: compact JSON, keys in this order, timestamps in UTC with milliseconds.
    first = response.json[0]
    assert response.data.startswith(json.dumps([first], separators=(",", ":"))[:-1].encode())
    assert list(first) == ["id", "name", "schemaName", "createdAt"] and first["createdAt"].endswith("Z")


def test_unknown_parameters_alone_still_get_every_organization(client):
    assert client.get("/organizations?page=2").data == client.get("/organizations").data


def test_search_matches_name_or_schema_name_in_any_case_in_name_order(client, tag):
    beta = create_org(client, f"beta {tag.upper()}")
    alpha = create_org(client, f"Alpha {tag}")
    by_schema = create_org(client, "Plain name", f"s_{tag}_schema")
    create_org(client, "Unrelated")
    response = client.get(f"/organizations?q={tag.upper()}&limit=20")
    assert response.status_code == 200 and "Link" not in response.headers
    assert response.json == [alpha, beta, by_schema]  # "alpha", "beta", "plain name": case does not order
    assert all(OrganizationSchema().validate(org) == {} for org in response.json)


@pytest.mark.parametrize("q, expected", [("50%", ["Off 50% now"]), ("a_b", ["a_b"]), ("\\", ["back\\slash"])])
def test_search_takes_like_wildcards_literally(client, tag, q, expected):
    for name in ("Off 50% now", "Off 500 now", "a_b", "axb", "back\\slash"):
        create_org(client, f"{name} {tag}")
    found = client.get("/organizations", query_string={"q": q, "limit": 1000}).json
    assert [org["name"] for org in found if tag in org["name"]] == [f"{name} {tag}" for name in expected]


def test_like_pattern_escapes_what_ilike_would_read_as_wildcards():
    assert like_pattern("a%b_c\\d") == "%a\\%b\\_c\\\\d%"


def test_the_cursor_walks_every_match_once_in_name_order(client, registry_rows, tag):
    names = [f"Org {i:03d} {tag}" for i in range(45)] + [f"org {i:03d} {tag}" for i in range(5)]
    registry_rows(names)
    items, sizes = walk(client, f"/organizations?q={tag}&limit=20")
    assert sizes == [20, 20, 10]
    assert sorted(name.lower() for name in names) == [org["name"].lower() for org in items]
    assert sorted(org["name"] for org in items) == sorted(names)  # each once: "Org 001" and "org 001" both


def test_the_next_link_keeps_the_search_and_the_limit(client, registry_rows, tag):
    registry_rows([f"Café & co {tag} {i}" for i in range(3)])
    response = client.get("/organizations", query_string={"q": f"Café & co {tag}", "limit": 2})
    url = next_url(response)
    assert url.startswith(f"/organizations?limit=2&q=Caf%C3%A9%20%26%20co%20{tag}&cursor=")
    rest = client.get(url).json
    assert [org["name"] for org in response.json + rest] == [f"Café & co {tag} {i}" for i in range(3)]


def test_a_limit_alone_pages_every_organization_in_name_order(client, registry_rows, db):
    registry_rows([f"Bulk {i}" for i in range(30)])
    items, _ = walk(client, "/organizations?limit=7")
    with db.cursor() as cur:
        cur.execute("SELECT id::text FROM public.organizations ORDER BY lower(name), id")
        assert [org["id"] for org in items] == [row[0] for row in cur]


def test_default_page_is_100(client, registry_rows, tag):
    registry_rows([f"Many {i} {tag}" for i in range(120)])
    response = client.get(f"/organizations?q={tag}")
    assert len(response.json) == 100 and "limit=100" in next_url(response)


@pytest.mark.parametrize("query, field", [
    ("limit=0", "limit"), ("limit=1001", "limit"), ("limit=ten", "limit"), ("limit=", "limit"),
    ("q=" + "x" * 201, "q"), ("q=a%00b", "q"),
    ("cursor=", "cursor"), ("cursor=***", "cursor"), ("cursor=bm90LWEtdXVpZHxuYW1l", "cursor"),
    ("cursor=" + "A" * 1201, "cursor"),
])
def test_bad_search_parameters_are_400_naming_the_field(client, query, field):
    response = client.get(f"/organizations?{query}")
    assert response.status_code == 400
    assert response.json["error"] == "validation_error" and field in response.json["errors"]


def test_a_cursor_with_a_nul_in_its_name_is_400_not_500(client):
    cursor = base64.urlsafe_b64encode(f"{uuid.uuid4()}|a\x00b".encode()).decode().rstrip("=")
    response = client.get(f"/organizations?cursor={cursor}")
    assert response.status_code == 400 and "cursor" in response.json["errors"]


def test_get_one_organization(client, tag):
    org = create_org(client, f"Single {tag}")
    response = client.get(f"/organizations/{org['id']}")
    assert response.status_code == 200 and response.json == org


@pytest.mark.parametrize("path", [f"/organizations/{uuid.uuid4()}", "/organizations/not-a-uuid"])
def test_get_unknown_organization_is_404(client, path):
    response = client.get(path)
    assert response.status_code == 404 and response.json["error"] == "not_found"


def explain(db, query, pattern, after=(None, None)):
    """The plan of one of the search queries, under the app's search_path for public transactions.

    Fresh statistics, and no sequential scan: a registry of a few thousand rows
    may be read whole before autovacuum has analysed it; what this shows is
    which index serves the query when one is needed.
    """
    with db.cursor() as cur:
        cur.execute("ANALYZE public.organizations")
        cur.execute("SET enable_seqscan = off")
        cur.execute("SET search_path TO pg_catalog")
        cur.execute("EXPLAIN " + text_of(getattr(queries, query)),
                    {"pattern": pattern, "limit": 21, "after_name": after[0], "after_id": after[1]})
        return "\n".join(row[0] for row in cur)


def test_a_search_with_a_trigram_is_served_by_the_trigram_indexes(db, registry_rows):
    registry_rows([f"Filler {i:05d}" for i in range(5000)] + ["Needle in the registry"])
    assert has_trigram("needle in") and not has_trigram("ne e_dl")
    plan = explain(db, "search_organizations_by_trigrams", like_pattern("needle in"))
    assert "organizations_name_trgm_idx" in plan and "organizations_schema_name_trgm_idx" in plan


def test_a_page_of_everything_is_served_by_the_name_order_index(db, registry_rows):
    registry_rows([f"Filler {i:05d}" for i in range(5000)])
    plan = explain(db, "search_organizations", None, ("Filler 01000", str(uuid.uuid4())))
    assert "organizations_name_order_idx" in plan


@pytest.mark.parametrize("after", [None, ("same {tag} 3", "00000000-0000-0000-0000-000000000000")])
def test_both_search_queries_answer_the_same_pages(app, registry_rows, tag, after):
    registry_rows([f"{word} {tag} {i}" for i in range(12) for word in ("Same", "same", "SAME x")])
    after_name, after_id = (after[0].format(tag=tag), after[1]) if after else (None, None)
    pages = []
    with database.transaction(read_only=True) as cur:
        for query in ("search_organizations", "search_organizations_by_trigrams"):
            cur.execute(text_of(getattr(queries, query)), {
                "pattern": like_pattern(tag), "limit": 10, "after_name": after_name, "after_id": after_id})
            pages.append(cur.fetchall())
    assert pages[0] == pages[1] and len(pages[0]) == 10


def trigram_page(cur, pattern, after, limit=10, analyze=False):
    """search_organizations_by_trigrams's page (or, with ``analyze``, its EXPLAIN ANALYZE)."""
    explain = "EXPLAIN (ANALYZE, COSTS OFF) " if analyze else ""
    cur.execute(explain + text_of(queries.search_organizations_by_trigrams),
                {"pattern": pattern, "limit": limit, "after_name": after[0], "after_id": after[1]})
    return cur.fetchall()


@pytest.mark.parametrize("layout", [
    # (how many match, then how many do not, then how many match again), in name order
    (30, 0, 0),     # a word in every name: the walk holds the page
    (5, 150, 12),   # a few, then more than the walk reaches: the trigram indexes finish it
    (0, 150, 3),    # none within the walk
    (4, 20, 30),    # the walk passes both groups
])
def test_the_walk_and_the_trigram_matches_give_the_page_of_the_plain_query(app, registry_rows, tag, layout):
    first, gap, last = layout
    registry_rows([f"{tag} 1 needle{tag} {i:03d}" for i in range(first)]
                  + [f"{tag} 2 hay {i:03d}" for i in range(gap)]
                  + [f"{tag} 3 needle{tag} {i:03d}" for i in range(last)])
    after = (tag, "00000000-0000-0000-0000-000000000000")
    with database.transaction(read_only=True) as cur:
        cur.execute(text_of(queries.search_organizations), {
            "pattern": like_pattern(f"needle{tag}"), "limit": 10, "after_name": after[0], "after_id": after[1]})
        expected = cur.fetchall()
        assert trigram_page(cur, like_pattern(f"needle{tag}"), after) == expected
    assert len(expected) == min(10, first + last)


def test_a_word_in_every_name_is_answered_by_the_walk_without_the_trigram_indexes(app, registry_rows, tag):
    registry_rows([f"{tag} tenant {i:03d}" for i in range(200)])
    with database.transaction(read_only=True) as cur:
        rows = trigram_page(cur, like_pattern(tag), (tag, str(uuid.UUID(int=0))), analyze=True)
    plan = "\n".join(row["QUERY PLAN"] for row in rows)
    trigram_scans = [line for line in plan.splitlines() if "Bitmap Heap Scan" in line or "Seq Scan" in line]
    assert trigram_scans and all("never executed" in line for line in trigram_scans), plan
