"""No Docker engine runs here, so the deployment files are checked against the app itself."""
import configparser
import importlib
import re

import pytest
import yaml

from support.environment import ROOT
from taskflask.settings import Settings

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
SETTINGS_SOURCES = (ROOT / "taskflask" / "settings.py").read_text() + (ROOT / "gunicorn.conf.py").read_text()


def test_compose_has_the_four_services_and_a_one_shot_migrate():
    assert set(SERVICES) == {"postgres", "redis", "migrate", "api", "worker"}


def test_entry_points_exist():
    assert importlib.import_module("huey_worker").huey.name
    assert SERVICES["api"]["command"][-1] == "wsgi:app"
    assert SERVICES["worker"]["command"][:2] == ["huey_consumer", "huey_worker.huey"]
    assert 'CMD ["gunicorn", "--config", "gunicorn.conf.py", "wsgi:app"]' in DOCKERFILE


@pytest.mark.parametrize("service", ["migrate", "api", "worker"])
def test_app_variables_are_ones_the_app_reads(service):
    for name in SERVICES[service]["environment"]:
        assert f'"{name}"' in SETTINGS_SOURCES, f"{service} sets {name}, which taskflask never reads"


@pytest.mark.parametrize("service", ["api", "worker"])
def test_api_and_worker_share_postgres_redis_and_exports(service):
    env = SERVICES[service]["environment"]
    assert "@postgres:5432/" in env["DATABASE_URL"]
    assert env["REDIS_URL"].startswith("redis://redis:6379")
    mounts = {volume.split(":")[1]: volume.split(":")[0] for volume in SERVICES[service]["volumes"]}
    assert mounts[env["EXPORTS_DIR"]] == "exports"


def test_database_in_the_url_is_the_one_postgres_creates():
    database = SERVICES["api"]["environment"]["DATABASE_URL"].rsplit("/", 1)[1]
    assert database == SERVICES["postgres"]["environment"]["POSTGRES_DB"]


def test_api_port_matches_the_app_setting():
    port = SERVICES["api"]["environment"]["PORT"]
    assert port == str(Settings({}).PORT)
    assert SERVICES["api"]["ports"] == [f"{port}:{port}"]
    assert f"EXPOSE {port}" in DOCKERFILE
    assert f"127.0.0.1:{port}/readyz" in " ".join(SERVICES["api"]["healthcheck"]["test"])


def test_worker_stops_with_sigint_so_running_exports_finish():
    assert SERVICES["worker"]["stop_signal"] == "SIGINT"


def test_every_long_running_service_has_a_healthcheck_and_data_has_named_volumes():
    for name, service in SERVICES.items():
        assert ("healthcheck" in service) == (name != "migrate"), name
    assert set(COMPOSE["volumes"]) == {"postgres-data", "redis-data", "exports"}
    assert "postgres-data:/var/lib/postgresql/data" in SERVICES["postgres"]["volumes"]


def test_migrations_run_once_before_api_and_worker_start():
    migrate = SERVICES["migrate"]
    assert migrate["command"] == ["taskflask-migrate", "--tolerate-tenant-failures"]
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert migrate["restart"] == "no"  # one run per `up`, not a loop
    for service in ("api", "worker"):
        assert SERVICES[service]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert SERVICES["api"]["depends_on"]["redis"]["condition"] == "service_healthy"
    assert SERVICES["worker"]["depends_on"]["api"]["condition"] == "service_healthy"


def test_the_migrate_service_runs_a_console_script_the_image_installs():
    """compose's migrate runs taskflask-migrate: the package's entry point, installed by the Dockerfile's pip."""
    entry_points = configparser.ConfigParser()
    entry_points.read(ROOT / "setup.cfg")
    scripts = dict(line.split(" = ") for line in entry_points["options.entry_points"]["console_scripts"].split("\n")
                   if line)
    module, function = scripts[SERVICES["migrate"]["command"][0]].split(":")
    assert callable(getattr(importlib.import_module(module), function))
    assert re.search(r"^RUN pip install -e \.$", DOCKERFILE, re.MULTILINE)


def test_dockerfile_builds_the_frontend_in_a_node_stage_and_serves_it():
    assert re.search(r"^FROM node:\S+ AS frontend$", DOCKERFILE, re.MULTILINE)
    assert "npm ci" in DOCKERFILE and "npm run build" in DOCKERFILE
    assert "COPY --from=frontend /app/frontend/dist ./frontend/dist" in DOCKERFILE
    for needed in ("taskflask", "sql", "wsgi.py", "huey_worker.py", "gunicorn.conf.py"):
        assert re.search(rf"^COPY .*\b{re.escape(needed)}\b", DOCKERFILE, re.MULTILINE), needed
