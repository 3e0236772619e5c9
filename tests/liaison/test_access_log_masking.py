"""gunicorn's access log masks secrets in query strings and mobile numbers (liaison/accesslog.py), checked on a real
gunicorn started with gunicorn.conf.py on a loopback port."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_access_log_masks_api_key_token_password_and_mobiles(tmp_path):
    port = _free_port()
    log = tmp_path / "access.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CACHE_URL": "locmemcache://gunicorn",
        "CELERY_BROKER_URL": "memory://",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_PRELOAD": "0",
        "GUNICORN_ACCESS_LOG": str(log),
    }
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "config.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        url = f"http://127.0.0.1:{port}/favicon.ico?api_key=hl_abc.SECRETVALUE&token=T0KEN99&password=pw1&q=13812345678"
        for _ in range(120):
            try:
                urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=5)  # noqa: S310
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise AssertionError("gunicorn did not start")
        for _ in range(20):
            if log.exists() and "favicon.ico" in log.read_text():
                break
            time.sleep(0.25)
        text = log.read_text()
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "favicon.ico" in text
    assert "api_key=***" in text and "token=***" in text and "password=***" in text
    for secret in ("SECRETVALUE", "T0KEN99", "pw1", "13812345678"):
        assert secret not in text
    assert "138****5678" in text
