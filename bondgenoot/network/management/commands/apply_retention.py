"""Delete what has been kept long enough (run daily). ``--dry-run`` only reports.

Signals (with their shares and feedback) go when the pupil left school more than
the school's retention term ago (its setting at /beheer/instellingen/, else
``RETENTION["signal_delete_years_after_leaving"]``). Each deletion is in the
audit log. Signals older than the review term are listed for the care coordinator's
review (they stay until someone decides).
"""

from datetime import date

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.network import summary
from bondgenoot.network.models import Signal
from bondgenoot.people import school_settings
from bondgenoot.people.models import School


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class Command(BaseCommand):
    help = "Delete signals past their retention term; --dry-run shows what would go."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, dry_run=False, **options):
        today = timezone.localdate()
        # Each school's own term (administration settings), else the installation's.
        due_by_school = Q()
        for school_id in School.objects.values_list("pk", flat=True):
            years = school_settings.value(school_id, "signal_delete_years")
            due_by_school |= Q(school_id=school_id, pupil__left_on__lt=years_before(today, years))
        due = Signal.objects.filter(due_by_school).select_related("pupil")
        review = Signal.objects.filter(review_on__lte=today).exclude(pk__in=due.values("pk"))
        rows = list(due)
        verb = "Would delete" if dry_run else "Deleted"
        for signal in rows:
            self.stdout.write(
                f"{verb} signal {signal.pk} ({signal.category}, {signal.observed_on}); "
                f"pupil left {signal.pupil.left_on}"
            )
            if not dry_run:
                with transaction.atomic():
                    record(
                        None,
                        AuditEntry.Action.DELETE,
                        signal,
                        family_id=str(signal.pupil.family_id),
                        detail={"retention": True, "shares": signal.shares.count()},
                    )
                    summary.count(signal, -1)
                    signal.delete()
        self.stdout.write(f"{verb}: {len(rows)} signal(s). To review: {review.count()}.")
