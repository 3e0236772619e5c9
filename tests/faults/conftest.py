"""Fault fixtures: stop and start the test Redis and PostgreSQL that scripts/test.sh started.

scripts/services.sh exports REDIS_PORT, PG_BIN, PG_DATA and PG_PORT; the Redis server's folder is the one that
holds PG_DATA. Real Celery worker processes come from tests/celery/conftest.py.
"""

import os
import subprocess
import time
from pathlib import Path

import pytest
import redis

from tests.celery.conftest import clean_redis, processes, wait_for  # noqa: F401 - fixtures and a helper reused

__all__ = ["RedisServer", "wait_for"]


class RedisServer:
    def __init__(self):
        self.port = int(os.environ["REDIS_PORT"])
        self.folder = Path(os.environ["PG_DATA"]).parent

    def ping(self):
        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
        except redis.exceptions.ConnectionError:
            return False

    def stop(self):
        subprocess.run(["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True, timeout=10)
        wait_for(lambda: not self.ping(), timeout=10, message="Redis to stop")

    def start(self):
        if self.ping():
            return
        subprocess.run(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--daemonize",
                "yes",
                "--dir",
                str(self.folder),
                "--pidfile",
                str(self.folder / "redis.pid"),
                "--save",
                "",
                "--appendonly",
                "no",
                "--logfile",
                str(self.folder / "redis.log"),
            ],
            check=True,
            timeout=10,
        )
        wait_for(self.ping, timeout=10, message="Redis to start")


@pytest.fixture
def redis_server():
    if "REDIS_PORT" not in os.environ or "PG_DATA" not in os.environ:
        pytest.skip("needs the servers of scripts/test.sh (REDIS_PORT, PG_DATA)")
    server = RedisServer()
    try:
        yield server
    finally:
        server.start()  # whatever happened, the rest of the suite gets its Redis back


def pg_ctl(*args):
    return subprocess.run(
        ["runuser", "-u", "postgres", "--", f"{os.environ['PG_BIN']}/pg_ctl", "-D", os.environ["PG_DATA"], *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def postgres_server():
    if "PG_BIN" not in os.environ or "PG_DATA" not in os.environ:
        pytest.skip("needs the servers of scripts/test.sh (PG_BIN, PG_DATA)")
    yield pg_ctl
    if pg_ctl("status").returncode != 0:
        pg_ctl("-w", "-l", str(Path(os.environ["PG_DATA"]).parent / "postgres.log"), "start")
    time.sleep(0.1)
