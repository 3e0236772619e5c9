"""Real Celery worker (and beat) processes against the pytest-django test database and the test Redis.

The tests are ``django_db(transaction=True)`` so that every row they create is committed and visible to the worker
processes, which connect to the same ``test_<name>`` database. Every process is started in its own session and
killed (the whole process group) in ``finally``, whatever happens."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.db import connection

from tests.celery import gateway

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))


def _database_url():
    s = connection.settings_dict
    user = s.get("USER") or "postgres"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Processes:
    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.procs = []

    def env(self, **extra):
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="tests.celery.worker_settings",
            DATABASE_URL=_database_url(),
            DATABASE_CONN_MAX_AGE="0",
            PYTHONPATH=str(ROOT),
        )
        env.update({k: str(v) for k, v in extra.items()})
        return env

    def start(self, name, *args, **env):
        log = open(self.tmp_path / f"{name}.log", "w")  # noqa: SIM115 (closed with the process)
        proc = subprocess.Popen(
            [CELERY, "-A", "config", *args],
            cwd=ROOT,
            env=self.env(**env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        proc.log = log
        proc.name = name
        self.procs.append(proc)
        return proc

    def worker(self, name, concurrency=2, **env):
        return self.start(
            name,
            "worker",
            "--pool=prefork",
            f"--concurrency={concurrency}",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--hostname={name}@%h",
            **env,
        )

    def beat(self, name, **env):
        return self.start(name, "beat", "--loglevel=WARNING", "--pidfile=", "--max-interval=1", **env)

    def kill(self, proc):
        """SIGKILL the process and all its children, as if the machine died."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        proc.log.close()

    def kill_all(self):
        for proc in self.procs:
            if proc.poll() is None or not proc.log.closed:
                self.kill(proc)

    def logs(self):
        return "\n".join(f"--- {p.name}\n{(self.tmp_path / f'{p.name}.log').read_text()[-3000:]}" for p in self.procs)


@pytest.fixture
def processes(tmp_path):
    procs = Processes(tmp_path)
    try:
        yield procs
    finally:
        procs.kill_all()


@pytest.fixture
def clean_redis():
    """An empty broker queue and an empty stand-in gateway for each test."""
    broker = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])
    broker.flushdb()
    r = gateway.client()
    r.delete(gateway.CALLS_KEY, gateway.DELIVERED_KEY, gateway.FAIL_KEY)
    yield r
    broker.flushdb()


def wait_for(predicate, *, timeout, interval=0.05, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")
