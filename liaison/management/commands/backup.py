"""Back up the database to one file: pg_dump's custom format on PostgreSQL, SQLite's online backup otherwise."""

import shutil
import sqlite3
import subprocess
from glob import glob
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone


def pg_tool(name):
    """The newest server-matching binary (Debian keeps them under /usr/lib/postgresql/N/bin), else the PATH one."""
    candidates = sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    found = candidates[-1] if candidates else shutil.which(name)
    if not found:
        raise CommandError(f"{name} not found: install the postgresql-client package")
    return found


def pg_env_and_args():
    db = settings.DATABASES["default"]
    args = ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432), "-U", db.get("USER") or "postgres"]
    env = {"PGPASSWORD": db.get("PASSWORD") or ""}
    return db["NAME"], args, env


class Command(BaseCommand):
    help = "备份数据库到文件（PostgreSQL 用 pg_dump，SQLite 用在线备份）"

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="backup file; default var/backups/liaison-<time>.<ext>")

    def handle(self, *args, output=None, **options):
        vendor = connection.vendor
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        ext = "dump" if vendor == "postgresql" else "sqlite3"
        target = Path(output or Path(settings.BASE_DIR) / "var" / "backups" / f"liaison-{stamp}.{ext}")
        target.parent.mkdir(parents=True, exist_ok=True)
        if vendor == "postgresql":
            name, conn_args, env = pg_env_and_args()
            result = subprocess.run(
                [pg_tool("pg_dump"), "-Fc", "--no-owner", *conn_args, "-f", str(target), name],
                env={**env, "PATH": "/usr/bin:/bin"},
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        elif vendor == "sqlite":
            source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
            dest = sqlite3.connect(target)
            with dest:
                source.backup(dest)
            dest.close()
            source.close()
        else:
            raise CommandError(f"unsupported database: {vendor}")
        self.stdout.write(str(target))
