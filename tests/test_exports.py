"""CSV exports: admin only, queued on the real Redis, written by the real job code."""
import csv
import io
import uuid

import pytest
from conftest import EXPORTS_DIR, run_queued_jobs
from redis import Redis

from taskflask.db import database
from taskflask.exports.jobs import huey, redis_pool
from taskflask.exports.writer import export_path, run_export
from taskflask.web.schemas import ExportCreatedSchema, ExportSchema


def start_export(client, tenant):
    response = client.post("/tasks/export", headers=tenant.as_admin)
    assert response.status_code == 202, response.json
    assert ExportCreatedSchema().validate(response.json) == {}
    return response.json["exportId"]


def read_csv(response):
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_member_cannot_export(client, tenant):
    response = client.post("/tasks/export", headers=tenant.as_member)
    assert response.status_code == 403
    assert response.json["error"] == "forbidden"
    assert huey.pending_count() == 0


@pytest.mark.parametrize("path", ["/exports", "/exports/{id}", "/exports/{id}/download"])
def test_member_cannot_read_exports(client, tenant, path):
    export_id = start_export(client, tenant)
    run_queued_jobs()
    response = client.get(path.format(id=export_id), headers=tenant.as_member)
    assert response.status_code == 403


def test_export_moves_from_pending_to_completed_with_its_file(client, tenant):
    tenant.add_task("first", "one")
    tenant.add_task("second", None)
    export_id = start_export(client, tenant)

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

    download = client.get(done["fileUrl"], headers=tenant.as_admin)
    assert download.status_code == 200
    assert download.mimetype == "text/csv"
    assert download.headers["Content-Disposition"].startswith("attachment")
    rows = read_csv(download)
    assert [r["title"] for r in rows] == ["second", "first"]
    assert list(rows[0]) == ["id", "title", "description", "status", "createdBy",
                             "createdAt", "updatedAt", "completedAt"]
    assert rows[1]["description"] == "one" and rows[0]["description"] == ""


def test_export_of_an_empty_tenant_has_only_the_header(client, tenant):
    export_id = start_export(client, tenant)
    run_queued_jobs()
    download = client.get(f"/exports/{export_id}/download", headers=tenant.as_admin)
    assert download.get_data(as_text=True).strip() == \
        "id,title,description,status,createdBy,createdAt,updatedAt,completedAt"


@pytest.mark.parametrize("first", ["=", "+", "-", "@", "\t", "\r", "\n"])
def test_formula_cells_are_neutralised(client, tenant, first):
    # Titles are trimmed (descriptions are not), so whitespace starters are checked in the description.
    title = "x" if first.isspace() else f"{first}SUM(A1:A2)"
    description = f"{first}cmd|' /C calc'!A0"
    tenant.add_task(title, description)
    export_id = start_export(client, tenant)
    run_queued_jobs()
    row = read_csv(client.get(f"/exports/{export_id}/download", headers=tenant.as_admin))[0]
    assert row["description"] == "'" + description
    assert row["title"] == (title if first.isspace() else "'" + title)


def test_harmless_text_is_left_alone(client, tenant):
    tenant.add_task("Plan Q3 = budget", "Notes, \"quoted\"\nand a 2nd line; emoji 🎉 and עברית")
    export_id = start_export(client, tenant)
    run_queued_jobs()
    row = read_csv(client.get(f"/exports/{export_id}/download", headers=tenant.as_admin))[0]
    assert row["title"] == "Plan Q3 = budget"
    assert row["description"] == "Notes, \"quoted\"\nand a 2nd line; emoji 🎉 and עברית"


def test_exports_are_listed_newest_first(client, tenant):
    first = start_export(client, tenant)
    run_queued_jobs()
    second = start_export(client, tenant)
    listed = client.get("/exports", headers=tenant.as_admin).json
    assert [(e["id"], e["status"]) for e in listed] == [(second, "pending"), (first, "completed")]


def test_one_export_at_a_time_per_tenant(client, tenant, other_tenant):
    running = start_export(client, tenant)
    second = client.post("/tasks/export", headers=tenant.as_admin)
    assert second.status_code == 429
    assert second.json["error"] == "export_in_progress"
    assert second.json["exportId"] == running and running in second.json["message"]
    assert second.headers["Retry-After"]
    assert start_export(client, other_tenant)  # another tenant is not held up
    run_queued_jobs()
    assert start_export(client, tenant)


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
    export_id = start_export(client, tenant)
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
    export_id = start_export(client, tenant)
    huey.flush()  # run it by hand twice instead of through the queue
    assert run_export(database, EXPORTS_DIR, tenant.schema, export_id) == "completed"
    assert run_export(database, EXPORTS_DIR, tenant.schema, export_id) is None


@pytest.mark.parametrize("final_attempt, status", [(False, "pending"), (True, "failed")])
def test_a_failing_export_is_retried_then_failed(client, tenant, tmp_path, final_attempt, status):
    export_id = start_export(client, tenant)
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


class socket_nobody_listens_on:
    """A local port that refuses connections while the block runs."""

    def __enter__(self):
        import socket
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))  # bound but not listening: connections are refused
        return self.sock.getsockname()[1]

    def __exit__(self, *exc):
        self.sock.close()
