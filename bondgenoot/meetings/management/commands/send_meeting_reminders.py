"""Send tomorrow's meeting reminders (run daily, e.g. from cron). Sends each once."""

from django.core.management.base import BaseCommand

from bondgenoot.meetings.actions import send_reminders


class Command(BaseCommand):
    help = "Send reminders for meetings tomorrow to parents who did not say no."

    def handle(self, *args, **options):
        self.stdout.write(f"Queued {send_reminders()} reminder(s).")
