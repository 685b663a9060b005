"""The database cache's table (the default shared cache, settings.cache_from_url).

``createcachetable`` makes the table of every database cache in CACHES that does not
exist yet, so every ``migrate`` (make install, make run, a deployment, the benches)
leaves a working cache; with Redis or no cache it does nothing. Run again after
changing CACHES: ``manage.py migrate`` does not run this twice, ``createcachetable``
does.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
