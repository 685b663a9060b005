"""Move the pupils of every planned new school year whose first day has come (run
daily). Safe to run again: a pupil who moved is never moved twice."""

from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from bondgenoot.administration.actions import apply_rollover
from bondgenoot.administration.models import Rollover


class Command(BaseCommand):
    help = "Start planned school years from 1 August (moves each pupil once)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="YYYY-MM-DD (for tests and catching up)")

    def handle(self, *args, today=None, **options):
        day = date.fromisoformat(today) if today else timezone.localdate()
        year = day.year if day.month >= 8 else day.year - 1
        for rollover in Rollover.objects.filter(applied_at__isnull=True, school_year__lte=year):
            moved = apply_rollover(None, rollover, today=day)
            self.stdout.write(f"School {rollover.school_id}, {rollover.school_year}: {moved} moved")
