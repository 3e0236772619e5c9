"""Load the demo data set. Idempotent: running it again changes nothing.

Each app contributes its part in its own ``demo.py`` (a ``load(stdout)`` function), in the order below.
"""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_MODULES = ["liaison.demo", "deputies.demo", "activities.demo", "stations.demo", "proposals.demo", "votes.demo"]


class Command(BaseCommand):
    help = "加载演示数据（可重复运行）"

    def handle(self, *args, **options):
        for name in DEMO_MODULES:
            try:
                module = import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name == name:
                    continue
                raise
            with transaction.atomic():
                module.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪"))
