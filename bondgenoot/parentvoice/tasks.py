from django.tasks import task


@task()
def build_export(job_id: str) -> None:
    """Build a parent's download in the background (``manage.py db_worker``). Safe to run
    again: a job that is done or failed is left alone."""
    from .export import build

    build(job_id)
