from django.tasks import task

from . import actions


@task()
def send_batch(batch_id: str) -> None:
    """Make and send a group's portal invitations (``manage.py db_worker``). Safe to run
    again: each guardian gets one activation per batch, each sent at most once."""
    actions.run_batch(batch_id)


@task()
def send_activations(activation_ids: list[str]) -> None:
    for activation_id in activation_ids:
        actions.send(activation_id)
