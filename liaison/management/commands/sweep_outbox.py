"""Send again the Celery calls that were kept in the outbox while the broker was down."""

from django.core.management.base import BaseCommand

from liaison.outbox import sweep_outbox


class Command(BaseCommand):
    help = "Publish the tasks kept in the outbox (liaison.OutboxMessage) while the broker was unreachable."

    def handle(self, *args, **options):
        self.stdout.write(f"sent: {sweep_outbox()}")
