"""Queue delivery again for every message that is not fully sent (after a crash or a
restart). Safe to run at any time: each delivery is sent at most once."""

from django.core.management.base import BaseCommand

from bondgenoot.messaging.models import Message
from bondgenoot.messaging.tasks import deliver_message


class Command(BaseCommand):
    help = "Queue delivery for messages that are not fully sent yet."

    def handle(self, *args, **options):
        pending = list(
            Message.objects.exclude(status=Message.Status.DONE).values_list("pk", flat=True)
        )
        for pk in pending:
            deliver_message.enqueue(str(pk))
        self.stdout.write(f"Queued {len(pending)} message(s) for delivery.")
