"""deploy/: every process written down runs a command that exists; the compose file is valid where an engine is."""

import os
import re
import shutil
import subprocess

import pytest
import yaml

from tests.served import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"


def flask_commands(text: str) -> set[str]:
    return set(re.findall(r"flask --app wsgi ([a-z-]+)", text))


def test_every_process_runs_a_command_the_app_has(app):
    known = set(app.cli.list_commands(None)) | {"db"}
    texts = [(DEPLOY / "Procfile").read_text()]
    texts += [unit.read_text() for unit in (DEPLOY / "systemd").glob("*.service")]
    used = set().union(*(flask_commands(text) for text in texts))
    assert {"send-mail", "run-scheduler", "db"} <= used <= known


def test_one_scheduler_and_two_mail_workers_in_compose():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert services["scheduler"]["deploy"]["replicas"] == 1
    assert services["mail"]["deploy"]["replicas"] == 2
    assert services["web"]["deploy"]["replicas"] >= 2
    assert {"postgres", "redis", "proxy", "migrate"} <= set(services)
    assert "send-mail" in services["mail"]["command"] and "run-scheduler" in services["scheduler"]["command"]


def test_the_proxies_keep_metrics_inside_and_set_a_request_id():
    for config in (DEPLOY / "Caddyfile", DEPLOY / "compose" / "Caddyfile", DEPLOY / "nginx.conf"):
        text = config.read_text()
        assert "/metrics" in text and "404" in text and "X-Request-ID" in text, config
        assert "[redacted]" in text, config


def test_the_compose_file_is_valid(tmp_path):
    docker = shutil.which("docker") or shutil.which("podman")
    if docker is None:
        pytest.skip("no container engine (docker or podman) here: deploy/compose.yaml was not validated")
    if subprocess.run([docker, "compose", "version"], capture_output=True).returncode != 0:
        pytest.skip(f"{docker} has no compose command here: deploy/compose.yaml was not validated")
    secrets = DEPLOY / "secrets"
    created = not secrets.exists()
    secrets.mkdir(exist_ok=True)
    for name in ("secret_key", "mail_password", "postgres_password", "database_url"):
        (secrets / name).touch()
    environment = {
        **os.environ,
        "EVENTAPP_SITE": "programmadag.example.org",
        "EVENTAPP_ORGANIZER_EMAIL": "programma@example.org",
        "EVENTAPP_MAIL_SERVER": "smtp.example.org",
    }
    try:
        done = subprocess.run(
            [docker, "compose", "-f", str(DEPLOY / "compose.yaml"), "config", "--quiet"],
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        if created:
            shutil.rmtree(secrets)
    assert done.returncode == 0, done.stderr
