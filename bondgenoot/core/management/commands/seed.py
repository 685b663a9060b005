import os
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.people.models import TWO_FACTOR_ROLES, School
from bondgenoot.seeding import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    PARENT_USERNAME,
    SCALES,
    seed,
)


class Command(BaseCommand):
    help = "Fill an empty database with synthetic schools, families and staff."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
        parser.add_argument(
            "--seed", type=int, default=1, help="The same seed gives the same data."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and succeed) when there is data already.",
        )

    def handle(self, *args, **options):
        scale, seed_number = options["scale"], options["seed"]
        if_empty = options["if_empty"]
        if not settings.DEBUG and os.environ.get("ALLOW_DEMO_ACCOUNTS") != "1":
            # Demo data brings accounts with one known password (ASVS 6.3.2): never on a
            # real server by accident.
            raise CommandError(
                "Demo data has accounts with a known password. It loads only with DEBUG=1, "
                "or with ALLOW_DEMO_ACCOUNTS=1 for a benchmark on a machine of your own."
            )
        if School.objects.exists():
            if if_empty:
                self.stdout.write("The database has data already; demo data not loaded again.")
                self.print_accounts()
                return
            raise CommandError(
                "The database has data already. Seed an empty database, "
                "for example after `manage.py flush`."
            )
        started = time.monotonic()
        counts = seed(scale, seed_number)
        record(None, AuditEntry.Action.SEED, detail={"scale": scale, "seed": seed_number, **counts})
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {scale} data in {time.monotonic() - started:.1f} s: "
                + ", ".join(f"{v} {k}" for k, v in counts.items())
            )
        )
        self.print_accounts()

    @translation.override("en")
    def print_accounts(self):
        self.stdout.write(f"\nDemo accounts (password for all: {DEMO_PASSWORD}):")
        for username, first, last, role in DEMO_ACCOUNTS:
            extra = " — sets up two-factor login at first login" if role in TWO_FACTOR_ROLES else ""
            self.stdout.write(f"  {username:<14} {role.label} ({first} {last}){extra}")
        self.stdout.write(
            f"  {PARENT_USERNAME:<14} Parent / guardian — the parent portal at /ouders/ "
            "(also by email address at /ouders/inloggen/)"
        )
