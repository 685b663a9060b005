from django.tasks import task

from .delivery import deliver_all


@task()
def deliver_message(message_id: str) -> None:
    """Bulk delivery in the background (``manage.py db_worker``). Safe to run again: it
    sends only what is not sent yet, each delivery at most once."""
    deliver_all(message_id)
