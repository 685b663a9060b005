"""``manage.py import_roster PATH [--school ID] [--dry-run] [--guardians CSV] [--mapping TOML]``

Reads a OneRoster 1.2 zip, an EDEX.XML (with a guardians CSV) or a school's own CSV,
and imports it in one transaction. Exits 1 with line-numbered errors, having written
nothing, when the file cannot be imported. Prints counts, never names.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bondgenoot.audit.log import Route, current_route
from bondgenoot.people.models import School
from bondgenoot.roster import actions
from bondgenoot.roster.formats.generic_csv import MappingError
from bondgenoot.roster.records import RosterError


class Command(BaseCommand):
    help = "Import pupils, groups, guardians and staff from a school administration export."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--school", type=int, help="the school's id (else matched on BRIN)")
        parser.add_argument("--dry-run", action="store_true", help="compare only; write nothing")
        parser.add_argument("--guardians", type=Path, help="the guardians CSV of an EDEX.XML")
        parser.add_argument(
            "--mapping", type=Path, help="save this column mapping for --school first"
        )

    def handle(self, *args, **options) -> None:
        school = None
        if options["school"] is not None:
            school = School.objects.filter(pk=options["school"]).first()
            if school is None:
                raise CommandError(f"There is no school with id {options['school']}.")
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        if options["mapping"]:
            if school is None:
                raise CommandError("--mapping needs --school.")
            try:
                actions.save_mapping(None, school, options["mapping"].read_text(encoding="utf-8"))
            except MappingError as error:
                raise CommandError(str(error)) from None
        guardians = None
        if options["guardians"]:
            guardians = (options["guardians"].read_bytes(), options["guardians"].name)
        token = current_route.set(Route("manage.py import_roster"))
        try:
            plan = actions.import_file(
                path.read_bytes(),
                path.name,
                school=school,
                guardians=guardians,
                dry_run=options["dry_run"],
            )
        except (RosterError, MappingError) as error:
            problems = getattr(error, "problems", None) or [str(error)]
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(f"Nothing was imported: {len(problems)} error(s).") from None
        finally:
            current_route.reset(token)
        for warning in plan.warnings:
            self.stderr.write(f"warning: {warning}")
        label = "Would change" if options["dry_run"] else "Imported"
        summary = plan.summary()
        self.stdout.write(
            f"{label}: "
            + (", ".join(f"{k} {v}" for k, v in summary.items()) or "nothing (no changes)")
        )
