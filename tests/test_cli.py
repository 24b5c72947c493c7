"""Operator commands: flask --app wsgi create-org / create-user / seed-demo."""
from support.tenants import unique_schema


def test_create_org_and_user_from_the_command_line(runner, client):
    schema = unique_schema("cli")
    created = runner.invoke(args=["create-org", "CLI Corp", schema])
    assert created.exit_code == 0, created.output
    org_id = created.output.split()[0]
    user = runner.invoke(args=["create-user", schema, "Root", "root@cli.example", "--role", "admin"])
    assert user.exit_code == 0, user.output
    users = client.get(f"/organizations/{org_id}/users").json
    assert [(u["email"], u["role"]) for u in users] == [("root@cli.example", "admin")]
    by_id = runner.invoke(args=["create-user", org_id, "Second", "second@cli.example"])
    assert by_id.exit_code == 0 and "member" in by_id.output


def test_command_line_errors_are_one_clear_line(runner):
    schema = unique_schema("cli")
    assert runner.invoke(args=["create-org", "X", schema]).exit_code == 0
    for args, message in ((["create-org", "Y", schema], "already taken"),
                          (["create-org", "Y", "Bad-Name"], "schemaName"),
                          (["create-user", "nobody_here", "N", "n@example.com"], "no organization"),
                          (["create-user", schema, "N", "not-an-email"], "email")):
        result = runner.invoke(args=args)
        assert result.exit_code != 0
        assert message in result.output
        assert "Traceback" not in result.output


def test_seed_demo_gives_the_ui_something_to_show(runner, client):
    schema = unique_schema("demo")
    result = runner.invoke(args=["seed-demo", "--schema", schema])
    assert result.exit_code == 0, result.output
    org = next(o for o in client.get("/organizations").json if o["schemaName"] == schema)
    roles = sorted(u["role"] for u in client.get(f"/organizations/{org['id']}/users").json)
    assert roles == ["admin", "member"]
    page = client.get("/tasks?limit=1000", headers={"x-tenant-id": org["id"]})
    assert len(page.json) == 1000 and "Link" not in page.headers
    assert page.json[0]["title"] == "Demo task 1000"
    assert sum(t["status"] == "completed" for t in page.json) == 100
