import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "x" * 20 + "production-secret-key-for-the-check-0123456789",
    "PERSONAL_DATA_KEY": "y" * 44,
    "DJANGO_ALLOWED_HOSTS": "liaison.example.gov.cn",
    "DATABASE_URL": "postgres://liaison:secret@127.0.0.1:5432/liaison",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "NOTIFICATION_SITE_URL": "https://liaison.example.gov.cn",
}


def test_production_settings_pass_check_deploy():
    env = {k: v for k, v in {**os.environ, **PRODUCTION_ENV}.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {k: v for k, v in {**os.environ, **PRODUCTION_ENV}.items() if k != "DJANGO_SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.skipif(
    shutil.which("docker-compose") is None, reason="docker-compose is installed by scripts/install-system.sh"
)
def test_docker_compose_file_is_valid():
    result = subprocess.run(
        ["docker-compose", "-f", "docker-compose.yml", "config", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **os.environ,
            "DJANGO_SECRET_KEY": "x",
            "PERSONAL_DATA_KEY": "y",
            "POSTGRES_PASSWORD": "z",
            "LIAISON_HOSTNAME": "h",
        },
    )
    assert result.returncode == 0, result.stderr


def test_gunicorn_config_recycles_workers_and_reads_the_environment(monkeypatch):
    """gunicorn.conf.py (used by the Dockerfile, docker-compose.yml and the benchmark): gthread workers that are
    replaced after a number of requests, preloaded and warmed in the master, every value overridable, an empty
    value meaning the default."""
    import runpy

    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    monkeypatch.setenv("GUNICORN_THREADS", "")
    monkeypatch.setenv("GUNICORN_MAX_REQUESTS", "500")
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["worker_class"] == "gthread"
    assert (config["workers"], config["threads"], config["max_requests"]) == (3, 2, 500)
    assert config["max_requests_jitter"] > 0
    assert config["preload_app"] is True and config["keepalive"] == 0 and callable(config["when_ready"])
    result = subprocess.run(
        [str(Path(sys.executable).parent / "gunicorn"), "--check-config", "config.wsgi:application"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    compose = (ROOT / "docker-compose.yml").read_text()
    entrypoint = (ROOT / "scripts" / "entrypoint.sh").read_text()
    assert "--config gunicorn.conf.py config.wsgi:application" in entrypoint  # the file decides
    assert "--workers" not in compose + entrypoint


def test_warmup_compiles_every_template_without_opening_a_connection(django_db_blocker):
    """liaison/warmup.py runs in gunicorn's master before the fork: it must compile the templates (so the workers
    inherit them) and must not touch the database (a connection must never be shared across the fork)."""
    from django.db import connections
    from django.template import engines

    from liaison.warmup import _template_names, warm

    engine = engines["django"].engine
    with django_db_blocker.block():  # any query here fails the test
        compiled = warm()
    # all but django-filter's crispy form, whose tag library is not installed
    assert compiled == len(_template_names(engine)) - 1 and compiled > 200
    assert all(connection.connection is None for connection in connections.all())
