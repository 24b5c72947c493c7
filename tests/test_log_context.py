"""Log lines carry the tenant, in requests and in export jobs."""
import io
import logging

import pytest

from support.jobs import run_queued_jobs
from taskflask.logs import ContextFilter, JSONFormatter, TextFormatter, tenant_context


@pytest.fixture
def log_lines(app):
    """What taskflask logs during the test, formatted as in production (text)."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(ContextFilter())
    handler.setFormatter(TextFormatter("%(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("taskflask")
    logger.addHandler(handler)
    yield lambda: out.getvalue().splitlines()
    logger.removeHandler(handler)


def test_an_export_jobs_log_lines_name_its_tenant(client, tenant, log_lines):
    client.post("/tasks/export", headers=tenant.as_admin)
    run_queued_jobs()
    completed = [line for line in log_lines() if "taskflask.exports.writer" in line and "completed" in line]
    assert len(completed) == 1 and completed[0].endswith(f"[tenant={tenant.schema}]")


def test_a_job_for_a_deleted_tenant_logs_its_skip_with_the_tenant(client, runner, tenant, log_lines):
    client.post("/tasks/export", headers=tenant.as_admin)
    client.delete(f"/organizations/{tenant.id}", json={"schemaName": tenant.schema}, headers=tenant.as_admin)
    assert runner.invoke(args=["tenants", "purge"]).exit_code == 0  # the schema is gone before the export runs
    run_queued_jobs()
    assert any("skipped" in line and line.endswith(f"[tenant={tenant.schema}]") for line in log_lines())


def test_log_lines_outside_a_job_or_request_have_no_tenant(log_lines):
    with tenant_context("acme"):
        logging.getLogger("taskflask.test").warning("inside")
    logging.getLogger("taskflask.test").warning("outside")
    assert log_lines() == ["WARNING taskflask.test: inside [tenant=acme]", "WARNING taskflask.test: outside"]


def test_json_log_lines_carry_the_jobs_tenant(app):
    record = logging.LogRecord("taskflask.test", logging.INFO, __file__, 1, "hello", (), None)
    with tenant_context("acme"):
        ContextFilter().filter(record)
    assert '"tenant": "acme"' in JSONFormatter().format(record)
