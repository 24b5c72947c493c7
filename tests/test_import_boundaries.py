"""The worker, the migration runner and taskflask-migrate load no web code: no Flask, Werkzeug or marshmallow."""
import subprocess
import sys

import pytest

from support.environment import ROOT

WEB_PACKAGES = {"flask", "werkzeug", "marshmallow"}


@pytest.mark.parametrize("module", ["huey_worker", "taskflask.tenants.migrate_run", "taskflask.cli.migrate"])
def test_importing_loads_no_web_package(module):
    """The check of issue 12, in a fresh interpreter so that nothing this test run imported counts."""
    check = f"import {module}, sys; print(sorted({WEB_PACKAGES!r} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
