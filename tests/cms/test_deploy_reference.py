"""The reference topology (deploy/compose.yaml, deploy/Dockerfile) cannot be started here: no container
registry is reachable from these machines, so its images (postgres, redis, nginx, minio, elasticsearch)
cannot be pulled; `make cluster` starts the same processes from Debian and PyPI packages instead
(tests/cluster). What can be checked without Docker is checked here: the file parses, it names the
topology the operations page describes, every file it mounts exists, every command it runs is one of
ours, and every variable it gives the platform is one the settings read and docs/configuration.md
documents."""

import ast
import re
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def settings_read_from_environment() -> set[str]:
    """Every name the settings modules read with env(), env_bool(), env_int(), env_list() or os.environ
    (and DJANGO_SETTINGS_MODULE, which manage.py and cms/wsgi.py read to choose them)."""
    names = {"DJANGO_SETTINGS_MODULE"}
    for path in (ROOT / "cms" / "settings").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                func = node.func
                called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                if called in {"env", "env_bool", "env_int", "env_list", "get", "setdefault"} and isinstance(
                        node.args[0].value, str) and node.args[0].value != "OPTIONS":  # DATABASES[...].get
                    names.add(node.args[0].value)
    app_settings = ROOT / "cms" / "settings" / "base.py"
    names |= set(re.findall(r'"([A-Z][A-Z0-9_]+)": (?:int|str|float|bool|_bool)', app_settings.read_text()))
    return names


def documented() -> str:
    return (ROOT / "docs" / "configuration.md").read_text()


def test_the_topology_names_every_service_the_operations_page_describes(compose):
    services = compose["services"]
    assert {"nginx", "app1", "app2", "worker", "scheduler", "migrate", "postgres-primary", "postgres-replica",
            "redis", "elasticsearch", "minio"} <= set(services)
    assert services["worker"]["deploy"]["replicas"] == 2
    assert "pg_basebackup" in services["postgres-replica"]["entrypoint"] and " -R " in services[
        "postgres-replica"]["entrypoint"]
    for app in ("app1", "app2", "worker", "scheduler", "migrate"):
        assert services[app]["environment"]["DJANGO_SETTINGS_MODULE"] == "cms.settings.production"


def test_every_file_it_mounts_or_builds_from_exists(compose):
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (DEPLOY / source).exists() or source == "./certs", (name, source)  # certs: the operator's
    build = compose["x-app"]["build"]
    assert (DEPLOY / build["context"] / build["dockerfile"]).is_file()
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    for copied in re.findall(r"^COPY (\S+) (\S+) \./$", dockerfile, flags=re.M):
        for path in copied:
            assert (ROOT / path).is_file(), path


def test_every_command_it_runs_is_ours(compose):
    commands = get_commands()
    for name, service in compose["services"].items():
        command = service.get("command") or ""
        for managed in re.findall(r"manage\.py (\w+)", command if isinstance(command, str) else " ".join(command)):
            assert managed in commands, (name, managed)
        if "gunicorn" in str(command):
            assert "cms.wsgi:application" in command
    healthcheck = compose["services"]["worker"]["healthcheck"]["test"]
    assert healthcheck[2:4] == ["manage.py", "health_check"] and "health_check" in commands


def test_every_variable_it_sets_is_read_by_the_settings_and_documented(compose):
    read, docs = settings_read_from_environment(), documented()
    assert {"DATABASE_URL", "SECRET_KEY", "REDIS_URL"} <= read  # the walk finds what it looks for
    read_by_boto3 = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}  # its own credential chain, never settings
    for variable in compose["x-app"]["environment"]:
        assert variable in read | read_by_boto3, f"{variable}: set by compose.yaml, read by no setting"
        assert f"`{variable}`" in docs, f"{variable}: not in docs/configuration.md"


def test_every_variable_the_settings_read_is_documented():
    docs = documented()
    missing = sorted(name for name in settings_read_from_environment()
                     if name.isupper() and f"`{name}`" not in docs)
    assert missing == []
