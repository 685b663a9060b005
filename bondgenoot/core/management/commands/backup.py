"""A consistent copy of the database, taken while the app runs.

    python manage.py backup                      # var/backups/bondgenoot-<time>.<ext>
    python manage.py backup --output /safe/place/bondgenoot.dump

PostgreSQL: ``pg_dump --format=custom`` (restore with ``pg_restore``); SQLite: the
online backup API (a copy of a consistent moment, also while others write). The backup
is logged in the audit log first, so a restored copy shows when it was taken.
Restoring is described in docs/operations.md ("Backup and restore").
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry, AuditHead


def pg_tool(name: str) -> str:
    """pg_dump or pg_restore: from PATH, else from Debian's server packages."""
    found = shutil.which(name)
    if found:
        return found
    for version in (17, 16, 15):
        candidate = f"/usr/lib/postgresql/{version}/bin/{name}"
        if os.access(candidate, os.X_OK):
            return candidate
    raise CommandError(f"{name} was not found (apt-get install -y postgresql-client).")


def pg_env(db: dict) -> dict:
    env = {**os.environ}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[name] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


class Command(BaseCommand):
    help = "Copy the database to a file (pg_dump for PostgreSQL, the backup API for SQLite)."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="the file to write (default: var/backups/...)")

    def handle(self, *args, **options):
        vendor = connection.vendor
        if vendor not in {"postgresql", "sqlite"}:
            raise CommandError(f"No backup method for {vendor}.")
        suffix = "dump" if vendor == "postgresql" else "sqlite3"
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        output = Path(
            options["output"]
            or settings.BASE_DIR / "var" / "backups" / f"bondgenoot-{stamp}.{suffix}"
        )
        output.parent.mkdir(parents=True, exist_ok=True)
        if output.exists():
            raise CommandError(f"{output} exists already; choose another name.")
        record(None, AuditEntry.Action.EXPORT, detail={"export": "backup", "format": suffix})
        head = AuditHead.objects.get(pk=1)
        db = settings.DATABASES["default"]
        if vendor == "postgresql":
            subprocess.run(
                [
                    pg_tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--file",
                    str(output),
                    db["NAME"],
                ],
                env=pg_env(db),
                check=True,
            )
        else:
            connection.ensure_connection()
            target = sqlite3.connect(output)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        os.chmod(output, 0o600)  # personal data: readable by this account only
        self.stdout.write(f"Backup written to {output}")
        self.stdout.write(f"Audit head in the backup: {head.seq}:{head.hash}")
