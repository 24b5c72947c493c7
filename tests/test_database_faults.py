"""The app survives lost connections and answers 503 JSON while PostgreSQL is unreachable."""
import socket


def terminate_app_connections(db):
    with db.cursor() as cur:
        cur.execute("""SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                       WHERE application_name = 'taskflask' AND datname = current_database()
                         AND pid <> pg_backend_pid()""")
        return cur.fetchone()[0]


def test_requests_recover_after_backends_are_terminated(client, tenant, db):
    tenant.add_task("before")
    assert terminate_app_connections(db) >= 1
    # Every pooled connection is now dead; the next requests must still succeed.
    for _ in range(3):
        response = client.get("/tasks", headers=tenant.headers())
        assert response.status_code == 200
        assert [t["title"] for t in response.json] == ["before"]
    assert client.post("/tasks", json={"title": "after"}, headers=tenant.as_member).status_code == 201


def test_database_unreachable_is_a_503_json(client, tenant, database_at, point_app_at, monkeypatch):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))  # bound but not listening: connections are refused
        port = closed.getsockname()[1]
        point_app_at(database_at(f"postgresql://postgres@127.0.0.1:{port}/nowhere?connect_timeout=2"))
        for response in (client.get("/tasks", headers=tenant.headers()), client.get("/organizations"),
                         client.post("/organizations", json={"name": "x", "schemaName": "never_made"})):
            assert response.status_code == 503
            assert response.json["error"] == "database_unavailable"
            assert response.headers["Retry-After"]
    monkeypatch.undo()  # the app's own pool again: it serves as before
    assert client.get("/tasks", headers=tenant.headers()).status_code == 200
