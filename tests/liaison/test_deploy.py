import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "liaison.settings.production",
    "DJANGO_SECRET_KEY": "x" * 20 + "production-secret-key-for-the-check-0123456789",
    "PERSONAL_DATA_KEY": "y" * 44,
    "DJANGO_ALLOWED_HOSTS": "liaison.example.gov.cn",
    "DATABASE_URL": "postgres://liaison:secret@127.0.0.1:5432/liaison",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
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
        env={**os.environ, "DJANGO_SECRET_KEY": "x", "PERSONAL_DATA_KEY": "y", "POSTGRES_PASSWORD": "z"},
    )
    assert result.returncode == 0, result.stderr
