"""The stack the way docker-compose.yml runs it, on loopback: scripts/entrypoint.sh web|worker|beat under production
settings, behind a TLS-terminating nginx with deploy/nginx/liaison.conf, probed with compose's own healthchecks.

The processes use the pytest-django test database (already migrated, so the entrypoint's migrate is quick) and the
test Redis; every row the test makes is committed (transaction=True) so they see it."""

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import urllib3
import yaml
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils import timezone

from liaison.models import AuditLog
from liaison.notifications.models import Notification
from liaison.reminders.models import FollowUp
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path("/usr/sbin/nginx").exists(), reason="nginx: scripts/install-system.sh"),
]

ROOT = Path(__file__).resolve().parents[2]
HOST = "liaison.test"
urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, *, timeout, message, procs=()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        for proc in procs:
            assert proc.poll() is None, f"{proc.name} exited: {proc.log_path.read_text()[-3000:]}"
        time.sleep(0.3)
    logs = "\n".join(f"--- {p.name}\n{p.log_path.read_text()[-2000:]}" for p in procs)
    raise AssertionError(f"timed out waiting for {message}\n{logs}")


def database_url():
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s.get('USER') or 'postgres'}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT']}/{s['NAME']}"


def healthchecks():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    return {name: service["healthcheck"]["test"] for name, service in services.items() if "healthcheck" in service}


def as_command(test):
    """A compose healthcheck ``test`` as an argv (CMD) or a shell line (CMD-SHELL), ``$$`` unescaped."""
    kind, *rest = test
    rest = [part.replace("$$", "$") for part in rest]
    return (rest, False) if kind == "CMD" else (rest[0], True)


@pytest.fixture
def stack(tmp_path):
    web_port, https_port, http_port = free_port(), free_port(), free_port()
    venv_bin = str(Path(sys.executable).parent)
    redis_url = os.environ["REDIS_URL"].rsplit("/", 1)[0]
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "PATH": f"{venv_bin}:{os.environ['PATH']}",
        "PYTHON": sys.executable,
        "HOSTNAME": "stacktest",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "s" * 60,
        "PERSONAL_DATA_KEY": os.environ.get("PERSONAL_DATA_KEY") or "p" * 44,
        "DJANGO_ALLOWED_HOSTS": f"{HOST},127.0.0.1",
        "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://{HOST}:{https_port}",
        "NOTIFICATION_SITE_URL": f"https://{HOST}",
        "DATABASE_URL": database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": f"{redis_url}/7",
        "CACHE_URL": f"{redis_url}/8",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "TRUSTED_PROXIES": "127.0.0.1",
        "GUNICORN_BIND": f"127.0.0.1:{web_port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_ACCESS_LOG": "",
        "STAFF_REQUIRE_OTP": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "REMINDER_SEND_FROM_HOUR": "0",
    }
    subprocess.run(["redis-cli", "-u", f"{redis_url}/7", "flushdb"], check=True, capture_output=True)
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={HOST}",
         "-keyout", str(tmp_path / "privkey.pem"), "-out", str(tmp_path / "fullchain.pem")],
        check=True, capture_output=True, timeout=30,
    )  # fmt: skip
    conf = (ROOT / "deploy/nginx/liaison.conf").read_text()
    conf = conf.replace("server web:8000;", f"server 127.0.0.1:{web_port};")
    conf = conf.replace("listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl").replace(
        "listen 80;", f"listen 127.0.0.1:{http_port};"
    )
    conf = conf.replace("/etc/nginx/certs", str(tmp_path)).replace("shared:liaison:10m", "off")
    (tmp_path / "nginx.conf").write_text(
        f"daemon off; pid {tmp_path}/nginx.pid; error_log {tmp_path}/nginx-error.log;\nevents {{}}\nhttp {{\n"
        f"access_log off; client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy;\n{conf}\n}}\n"
    )
    procs = []

    def start(name, *argv):
        log_path = tmp_path / f"{name}.log"
        proc = subprocess.Popen(
            list(argv), cwd=ROOT, env=env, stdout=log_path.open("w"), stderr=subprocess.STDOUT, start_new_session=True
        )
        proc.name, proc.log_path = name, log_path
        procs.append(proc)
        return proc

    entrypoint = str(ROOT / "scripts" / "entrypoint.sh")
    try:
        yield {"env": env, "start": start, "entrypoint": entrypoint, "procs": procs, "tmp": tmp_path,
               "web_port": web_port, "https_port": https_port, "http_port": http_port}  # fmt: skip
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, 15)
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)


def test_the_stack_behind_tls_serves_signs_in_and_beat_fires_a_reminder(stack, regions):
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    person = UserFactory(username="zhang", display_name="张三", region=regions["zhuzhou"])
    # the test settings hash with MD5 for speed; the stack runs production's hashers, which do not know MD5
    hasher = PBKDF2PasswordHasher()
    person.password = hasher.encode(TEST_PASSWORD, hasher.salt())
    person.save(update_fields=["password"])
    FollowUp.objects.create(title="督办：道路修缮", assignee=person, due_on=timezone.localdate())
    # the seeded sweep runs every 10 minutes; a one-second copy so the test sees beat fire within seconds
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(name="sweep (stack test)", task="liaison.tasks.sweep_reminders", interval=every_second)

    start, entrypoint, env = stack["start"], stack["entrypoint"], stack["env"]
    web = start("web", entrypoint, "web")
    worker = start("worker", entrypoint, "worker", "-n", "celery@stacktest", "--concurrency=2", "--pool=threads")
    nginx = start("nginx", "/usr/sbin/nginx", "-c", str(stack["tmp"] / "nginx.conf"), "-p", str(stack["tmp"]))
    procs = [web, worker, nginx]

    def seeded():
        return PeriodicTask.objects.filter(task="stations.tasks.erase_expired_opinion_personal_data").exists()

    # migrate, then collectstatic compresses every vendored asset: minutes on 2 busy cores (150 s timed out once)
    wait_for(seeded, timeout=300, message="the entrypoint's seed_schedules", procs=procs)
    beat = start("beat", entrypoint, "beat")
    procs.append(beat)

    # compose's own healthchecks, pointed at this stack's ports
    checks = healthchecks()
    ports = {"web": ("127.0.0.1:8000", f"127.0.0.1:{stack['web_port']}"),
             "nginx": ("https://127.0.0.1/", f"https://127.0.0.1:{stack['https_port']}/")}  # fmt: skip

    def passes(service):
        command, shell = as_command(checks[service])
        if service in ports:
            old, new = ports[service]
            assert any(old in part for part in ([command] if shell else command)), (service, command)
            command = command.replace(old, new) if shell else [part.replace(old, new) for part in command]
        result = subprocess.run(command, shell=shell, env=env, cwd=ROOT, capture_output=True, timeout=30)
        return result.returncode == 0

    for service in ("web", "nginx", "worker"):
        wait_for(lambda s=service: passes(s), timeout=60, message=f"{service}'s healthcheck", procs=procs)

    # /healthz straight on gunicorn, plain http and a foreign Host: no 400, no redirect
    direct = requests.get(f"http://127.0.0.1:{stack['web_port']}/healthz", headers={"Host": "10.0.0.9"}, timeout=5)
    assert (direct.status_code, direct.json()["status"]) == (200, "ok")
    # plain http through nginx goes to https; the app itself redirects nothing it was told came over https
    http = requests.get(f"http://127.0.0.1:{stack['http_port']}/accounts/login/", allow_redirects=False, timeout=5)
    assert http.status_code == 301 and http.headers["Location"].startswith("https://")

    # sign in over https through the proxy
    base = f"https://{HOST}:{stack['https_port']}"
    session = requests.Session()
    session.verify = False  # per request too: REQUESTS_CA_BUNDLE in the environment wins over the session
    resolve = {"Host": f"{HOST}:{stack['https_port']}"}
    url = f"https://127.0.0.1:{stack['https_port']}"
    page = session.get(f"{url}/accounts/login/", headers=resolve, timeout=10, verify=False)
    assert page.status_code == 200, page.text[:500]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    signed_in = session.post(
        f"{url}/accounts/login/",
        data={"username": "zhang", "password": TEST_PASSWORD, "csrfmiddlewaretoken": token},
        headers={**resolve, "Referer": f"{base}/accounts/login/", "X-Forwarded-For": "203.0.113.7"},
        allow_redirects=False,
        timeout=10,
        verify=False,
    )
    assert signed_in.status_code == 302, signed_in.text[:1000]
    assert "sessionid" in signed_in.cookies and signed_in.cookies["sessionid"]
    assert next(c for c in session.cookies if c.name == "sessionid").secure  # set over https as https
    login = AuditLog.objects.filter(action="auth.login", actor=person).latest("pk")
    assert login.ip_address == "203.0.113.7"  # nginx is trusted, so the client's address is the one it passed on

    # beat fires the sweep, the worker sends: the reminder lands in the user's inbox
    wait_for(lambda: Notification.objects.filter(recipient=person).exists(), timeout=40,
             message="the reminder in the inbox", procs=procs)  # fmt: skip
    home = session.get(f"{url}/", headers=resolve, timeout=10, verify=False)
    assert home.status_code == 200
