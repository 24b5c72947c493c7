"""CSV exports: admin only, queued on the real Redis, written by the real job code."""
import csv
import io
import re
import uuid

import pytest
from psycopg2 import sql
from redis import Redis

from support.environment import EXPORTS_DIR
from support.jobs import run_queued_jobs
from support.processes import socket_nobody_listens_on
from taskflask.data.queries import queries
from taskflask.db import database
from taskflask.exports.files import export_path
from taskflask.exports.writer import run_export
from taskflask.queue import huey, redis_pool
from taskflask.web.schemas import ExportCreatedSchema, ExportSchema

# The seed's columns, then the creator's name and email.
CSV_COLUMNS = ["id", "title", "description", "status", "createdBy", "createdAt", "updatedAt", "completedAt",
               "createdByName", "createdByEmail"]


def read_csv(response):
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_member_cannot_export(client, tenant):
    waiting = huey.pending_count()
    response = client.post("/tasks/export", headers=tenant.as_member)
    assert response.status_code == 403
    assert response.json["error"] == "forbidden"
    assert huey.pending_count() == waiting
    assert client.get("/exports", headers=tenant.as_admin).json == []


@pytest.mark.parametrize("path", ["/exports", "/exports/{id}", "/exports/{id}/download"])
def test_member_cannot_read_exports(client, tenant, path):
    export_id = tenant.start_export()["exportId"]
    run_queued_jobs()
    response = client.get(path.format(id=export_id), headers=tenant.as_member)
    assert response.status_code == 403


def test_export_moves_from_pending_to_completed_with_its_file(client, tenant):
    tenant.add_task("first", "one")
    tenant.add_task("second", None)
    created = tenant.start_export()
    assert ExportCreatedSchema().validate(created) == {}
    export_id = created["exportId"]

    pending = client.get(f"/exports/{export_id}", headers=tenant.as_admin).json
    assert ExportSchema().validate(pending) == {}
    assert (pending["status"], pending["fileUrl"], pending["rowCount"]) == ("pending", None, None)
    assert client.get(f"/exports/{export_id}/download", headers=tenant.as_admin).status_code == 409

    assert run_queued_jobs() == 1
    done = client.get(f"/exports/{export_id}", headers=tenant.as_admin).json
    assert done["status"] == "completed"
    assert done["rowCount"] == 2
    assert done["fileUrl"] == f"/exports/{export_id}/download"
    assert done["completedAt"] and done["requestedBy"] == tenant.admin["id"]
    assert done["requestedByName"] == "Alice"

    download = client.get(done["fileUrl"], headers=tenant.as_admin)
    assert download.status_code == 200
    assert download.mimetype == "text/csv"
    assert download.headers["Content-Disposition"].startswith("attachment")
    rows = read_csv(download)
    assert [r["title"] for r in rows] == ["second", "first"]
    assert list(rows[0]) == CSV_COLUMNS
    assert rows[1]["description"] == "one" and rows[0]["description"] == ""
    assert (rows[0]["createdByName"], rows[0]["createdByEmail"]) == ("Bob", tenant.member["email"])


def test_csv_timestamps_are_written_as_the_api_writes_them(client, tenant):
    task = tenant.add_task("done soon")
    completed = client.patch(f"/tasks/{task['id']}", headers=tenant.as_member).json
    export_id = tenant.start_export()["exportId"]
    run_queued_jobs()
    row = read_csv(client.get(f"/exports/{export_id}/download", headers=tenant.as_admin))[0]
    assert (row["createdAt"], row["updatedAt"], row["completedAt"]) == \
        (completed["createdAt"], completed["updatedAt"], completed["completedAt"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", row["completedAt"])


def test_creator_names_and_emails_are_neutralised_too(client, tenant):
    creator = client.post(f"/organizations/{tenant.id}/users",
                          json={"name": "=HYPERLINK(1)", "email": "-x@example.com", "role": "member"}).json
    tenant.add_task("by a formula", user=creator)
    export_id = tenant.start_export()["exportId"]
    run_queued_jobs()
    row = read_csv(client.get(f"/exports/{export_id}/download", headers=tenant.as_admin))[0]
    assert (row["createdByName"], row["createdByEmail"]) == ("'=HYPERLINK(1)", "'-x@example.com")


def test_export_of_an_empty_tenant_has_only_the_header(client, tenant):
    export_id = tenant.start_export()["exportId"]
    run_queued_jobs()
    download = client.get(f"/exports/{export_id}/download", headers=tenant.as_admin)
    assert download.get_data(as_text=True).strip() == ",".join(CSV_COLUMNS)


@pytest.mark.parametrize("first", ["=", "+", "-", "@", "\t", "\r", "\n"])
def test_formula_cells_are_neutralised(client, tenant, first):
    # Titles are trimmed (descriptions are not), so whitespace starters are checked in the description.
    title = "x" if first.isspace() else f"{first}SUM(A1:A2)"
    description = f"{first}cmd|' /C calc'!A0"
    tenant.add_task(title, description)
    export_id = tenant.start_export()["exportId"]
    run_queued_jobs()
    row = read_csv(client.get(f"/exports/{export_id}/download", headers=tenant.as_admin))[0]
    assert row["description"] == "'" + description
    assert row["title"] == (title if first.isspace() else "'" + title)


def test_harmless_text_is_left_alone(client, tenant):
    tenant.add_task("Plan Q3 = budget", "Notes, \"quoted\"\nand a 2nd line; emoji 🎉 and עברית")
    export_id = tenant.start_export()["exportId"]
    run_queued_jobs()
    row = read_csv(client.get(f"/exports/{export_id}/download", headers=tenant.as_admin))[0]
    assert row["title"] == "Plan Q3 = budget"
    assert row["description"] == "Notes, \"quoted\"\nand a 2nd line; emoji 🎉 and עברית"


def test_exports_are_listed_newest_first(client, tenant):
    first = tenant.start_export()["exportId"]
    run_queued_jobs()
    second = tenant.start_export()["exportId"]
    listed = client.get("/exports", headers=tenant.as_admin).json
    assert [(e["id"], e["status"]) for e in listed] == [(second, "pending"), (first, "completed")]


def test_one_export_is_read_by_its_key(db, tenant):
    """get_export is list_exports with an id: the test of a given id folds away, leaving the primary key."""
    with db.cursor() as cur:
        cur.execute("SET enable_seqscan = off")
        cur.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(tenant.schema)))
        cur.execute("EXPLAIN " + queries.list_exports.sql, {"id": str(uuid.uuid4()), "limit": 1})
        plan = "\n".join(row[0] for row in cur)
    assert "exports_pkey" in plan and "IS NULL" not in plan, plan


def test_one_export_at_a_time_per_tenant(client, tenant, other_tenant):
    running = tenant.start_export()["exportId"]
    second = client.post("/tasks/export", headers=tenant.as_admin)
    assert second.status_code == 429
    assert second.json["error"] == "export_in_progress"
    # The id is for the client (the UI shows that export); the sentence is for people.
    assert second.json["exportId"] == running and running not in second.json["message"]
    assert second.json["message"] == \
        "An export of this organization is still running; start another once it has finished."
    assert second.headers["Retry-After"]
    assert other_tenant.start_export()["exportId"]  # another tenant is not held up
    run_queued_jobs()
    assert tenant.start_export()["exportId"]


def test_concurrent_export_requests_start_only_one(client, tenant, app):
    from concurrent.futures import ThreadPoolExecutor

    def request(_):
        with app.test_client() as own_client:
            return own_client.post("/tasks/export", headers=tenant.as_admin).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = sorted(pool.map(request, range(8)))
    assert statuses == [202] + [429] * 7


def test_unknown_export_is_not_found(client, tenant):
    for path in (f"/exports/{uuid.uuid4()}", f"/exports/{uuid.uuid4()}/download", "/exports/../etc/passwd"):
        assert client.get(path, headers=tenant.as_admin).status_code == 404


def test_missing_file_is_gone_not_a_crash(client, tenant):
    export_id = tenant.start_export()["exportId"]
    run_queued_jobs()
    export_path(EXPORTS_DIR, tenant.schema, export_id).unlink()
    response = client.get(f"/exports/{export_id}/download", headers=tenant.as_admin)
    assert response.status_code == 410


def test_redis_unreachable_answers_503_and_leaves_nothing_pending(client, tenant, monkeypatch):
    with socket_nobody_listens_on() as port:
        dead_redis = Redis(connection_pool=redis_pool(f"redis://127.0.0.1:{port}/0"))
        monkeypatch.setattr(huey.storage, "conn", dead_redis)
        response = client.post("/tasks/export", headers=tenant.as_admin)
    assert response.status_code == 503
    assert response.json["error"] == "queue_unavailable"
    assert response.headers["Retry-After"]
    monkeypatch.undo()
    exports = client.get("/exports", headers=tenant.as_admin).json
    assert [e["status"] for e in exports] == ["failed"]
    assert client.post("/tasks", json={"title": "still works"}, headers=tenant.as_member).status_code == 201


def test_a_claimed_export_is_not_run_twice(client, tenant):
    export_id = tenant.start_export()["exportId"]
    huey.flush()  # run it by hand twice instead of through the queue
    assert run_export(database, EXPORTS_DIR, tenant.schema, export_id) == "completed"
    assert run_export(database, EXPORTS_DIR, tenant.schema, export_id) is None


@pytest.mark.parametrize("final_attempt, status", [(False, "pending"), (True, "failed")])
def test_a_failing_export_is_retried_then_failed(client, tenant, tmp_path, final_attempt, status):
    export_id = tenant.start_export()["exportId"]
    huey.flush()
    not_a_directory = tmp_path / "file"
    not_a_directory.write_text("blocks mkdir")
    with pytest.raises(OSError):
        run_export(database, not_a_directory, tenant.schema, export_id, final_attempt=final_attempt)
    export = client.get(f"/exports/{export_id}", headers=tenant.as_admin).json
    assert export["status"] == status
    if final_attempt:
        assert "Error" in export["error"]
    assert not list(tmp_path.rglob("*.part"))
