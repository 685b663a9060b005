"""Rebuild the signal counts the patterns pages read (after an import, or if in doubt)."""

from django.core.management.base import BaseCommand

from bondgenoot.network import summary


class Command(BaseCommand):
    help = "Rebuild the signal counts per school, month, category and postcode area."

    def handle(self, *args, **options):
        cells = summary.rebuild()
        self.stdout.write(f"Signal counts rebuilt: {cells} cell(s).")
