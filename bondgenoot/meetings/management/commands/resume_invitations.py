"""Queue again the written invitations of meetings whose sending did not finish."""

from django.core.management.base import BaseCommand

from bondgenoot.meetings.models import Meeting
from bondgenoot.meetings.tasks import invite_audience
from bondgenoot.messaging.models import Message


class Command(BaseCommand):
    help = "Queue written meeting invitations that were not fully prepared or sent."

    def handle(self, *args, **options):
        meetings = list(
            Meeting.objects.filter(invitation_message__isnull=False)
            .exclude(invitation_message__status=Message.Status.DONE)
            .values_list("pk", "invitation_message_id")
        )
        for meeting_id, message_id in meetings:
            invite_audience.enqueue(str(meeting_id), str(message_id))
        self.stdout.write(f"Queued {len(meetings)} meeting(s).")
