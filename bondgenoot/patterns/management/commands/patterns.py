"""Print the same suppressed figures as the patterns page, for a set of schools."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from bondgenoot.patterns import figures
from bondgenoot.people.models import School


class Command(BaseCommand):
    help = "The network analyst's figures (suppressed) for a set of schools."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--school", type=int, action="append", help="a school id (repeat)")
        parser.add_argument("--month", help="YYYY-MM, a completed month (default: the last)")

    def handle(self, *args, json=False, school=None, month=None, **options):
        ids = school or list(School.objects.values_list("pk", flat=True))
        unknown = set(ids) - set(School.objects.filter(pk__in=ids).values_list("pk", flat=True))
        if unknown:
            raise CommandError(f"Unknown school id(s): {sorted(unknown)}")
        chosen = None
        if month:
            try:
                year, m = month.split("-")
                chosen = date(int(year), int(m), 1)
            except ValueError:
                raise CommandError("--month takes YYYY-MM") from None
        data = figures.compute(sorted(ids), chosen)
        tables = [t.as_dict() for t in data["tables"]]
        if json:
            import json as json_module

            self.stdout.write(
                json_module.dumps(
                    {"schools": sorted(ids), "month": f"{data['chosen']:%Y-%m}", "tables": tables},
                    ensure_ascii=False,
                    indent=1,
                )
            )
            return
        for t in tables:
            self.stdout.write(t["title"])
            for row in [t["columns"], *t["rows"]]:
                self.stdout.write("  " + " | ".join(str(c) for c in row))
