"""Restore a backup made by `manage.py backup` into the configured database, replacing what is there."""

import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from liaison.management.commands.backup import pg_env_and_args, pg_tool


class Command(BaseCommand):
    help = "从备份文件恢复数据库（覆盖现有数据）"

    def add_arguments(self, parser):
        parser.add_argument("backup_file")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, backup_file, yes=False, **options):
        source = Path(backup_file)
        if not source.exists():
            raise CommandError(f"no such file: {source}")
        if not yes and input("This replaces every row in the database. Type 'yes' to go on: ") != "yes":
            raise CommandError("cancelled")
        vendor = connection.vendor
        connection.close()
        if vendor == "postgresql":
            name, conn_args, env = pg_env_and_args()
            result = subprocess.run(
                [
                    pg_tool("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    *conn_args,
                    "-d",
                    name,
                    str(source),
                ],
                env={**env, "PATH": "/usr/bin:/bin"},
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise CommandError(f"pg_restore failed: {result.stderr.strip()}")
        elif vendor == "sqlite":
            shutil.copyfile(source, settings.DATABASES["default"]["NAME"])
        else:
            raise CommandError(f"unsupported database: {vendor}")
        self.stdout.write(f"restored {source}")
