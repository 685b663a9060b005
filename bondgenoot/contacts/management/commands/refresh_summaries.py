from django.core.management.base import BaseCommand
from django.db import connection

from bondgenoot.contacts.summary import refresh
from bondgenoot.people.models import Family

CHUNK = 500


class Command(BaseCommand):
    help = "Rebuild every family's ledger summary from its contacts (safe to run any time)."

    def handle(self, *args, **options):
        ids = list(Family.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), CHUNK):
            refresh(ids[start : start + CHUNK])
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(f"Rebuilt the summaries of {len(ids)} families.")
