from django.tasks import task

from bondgenoot.messaging.delivery import deliver_all
from bondgenoot.messaging.models import Message

from .actions import prepare_invitations
from .models import Meeting


@task()
def invite_audience(meeting_id: str, message_id: str) -> None:
    """Prepare the invitations of a meeting's whole audience and deliver them. Safe to
    run again after a crash: nobody is invited or sent anything twice."""
    meeting = Meeting.objects.select_related("school").get(pk=meeting_id)
    message = Message.objects.select_related("author").get(pk=message_id)
    prepare_invitations(meeting, message)
    if not message.deliveries.exists():
        # Everyone was invited already (personally), or the meeting is over.
        Message.objects.filter(pk=message.pk).update(status=Message.Status.DONE)
        return
    deliver_all(message_id)
