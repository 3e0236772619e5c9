"""Every environment variable the code reads is listed in .env.example (and nothing there is read by no one)."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    "config",
    "liaison",
    "reports",
    "deputies",
    "proposals",
    "stations",
    "votes",
    "gunicorn.conf.py",
    "manage.py",
]
# Settings for the test suite and the benchmark rig read their own variables; they are not deployed.
NOT_DEPLOYED = {"config/settings/test.py", "config/settings/bench.py", "config/urls_bench.py"}
ENV_METHODS = {
    "str",
    "int",
    "bool",
    "float",
    "list",
    "tuple",
    "dict",
    "json",
    "url",
    "db",
    "db_url",
    "cache",
    "cache_url",
    "email",
    "email_url",
    "path",
    "decimal",
    "bytes",
    "search_url",
    "get_value",
}

ENV_CALLS = {("os.environ", "get"), ("os.environ", "setdefault"), ("os.environ", "pop"), ("os", "getenv")}


def _name(node):
    if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
        return node.args[0].value
    return None


def names_read(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "env":  # env("X")
                yield _name(node)
            elif isinstance(func, ast.Attribute):
                call = (ast.unparse(func.value), func.attr)
                if call in ENV_CALLS or (call[0] == "env" and call[1] in ENV_METHODS):  # env.int("X"), os.getenv
                    yield _name(node)
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            if isinstance(node.slice, ast.Constant):
                yield node.slice.value


def variables_the_code_reads():
    found = {}
    for source in SOURCES:
        path = ROOT / source
        files = [path] if path.is_file() else sorted(path.rglob("*.py"))
        for file in files:
            relative = file.relative_to(ROOT).as_posix()
            if relative in NOT_DEPLOYED or "/migrations/" in relative:
                continue
            for name in names_read(ast.parse(file.read_text(), filename=relative)):
                if name:
                    found.setdefault(name, relative)
    return found


def variables_listed():
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def test_the_scan_sees_the_reads_it_must():
    read = variables_the_code_reads()
    for name in ("DJANGO_SECRET_KEY", "DATABASE_URL", "GUNICORN_BIND", "NOTIFICATION_SITE_URL"):
        assert name in read


def test_every_variable_read_is_in_env_example():
    missing = {name: where for name, where in variables_the_code_reads().items() if name not in variables_listed()}
    assert missing == {}, f"add these to .env.example: {missing}"


def test_env_example_lists_nothing_unread():
    # DJANGO_SETTINGS_MODULE is read by Django itself, the POSTGRES_* by docker-compose.yml.
    outside = {
        "DJANGO_SETTINGS_MODULE",
        "POSTGRES_PASSWORD",
        "LIAISON_HOSTNAME",
        "BACKUP_KEEP_DAYS",
        "BACKUP_INTERVAL_SECONDS",
    }
    unread = variables_listed() - set(variables_the_code_reads()) - outside
    assert unread == set()
