from django.tasks import task

from . import actions


@task()
def run_import(run_id: str) -> None:
    """Import a confirmed upload in the background (``manage.py db_worker``). Safe to run
    again: a run that is done is skipped, and a rerun compares afresh with the database."""
    actions.run(run_id)
