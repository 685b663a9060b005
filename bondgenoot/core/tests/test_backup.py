"""A backup restores into a fresh database, and the audit log verifies there with the
same counts (issue 13, reliability 5). Like the crash test, this runs the real commands
in subprocesses against databases of their own: SQLite always, PostgreSQL when the
suite runs on PostgreSQL (then pg_dump and pg_restore, into two new databases)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from django.db import connection
from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[3]

DATA = """
from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.people.models import Role
from bondgenoot.testing import make_family, make_group, make_school, make_user
school = make_school()
mentor = make_user("mentor", school=school, roles=[Role.MENTOR])
group = make_group(school, "1A", mentors=[mentor])
for n in range(5):
    family = make_family(school, group, name=f"Gezin {n}")
    record(mentor, AuditEntry.Action.VIEW, family)
"""

COUNTS = """
from bondgenoot.people.models import Family, Guardian
from bondgenoot.audit.models import AuditEntry
print(Family.objects.count(), Guardian.objects.count(), AuditEntry.objects.count())
"""


class BackupRestoreTest(SimpleTestCase):
    def manage(self, env: dict, *args: str) -> str:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    def base_env(self) -> dict:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bondgenoot.settings",
            "DEBUG": "1",
            "AUDIT_HMAC_KEY": "backup-test-key",
        }
        env.pop("DATABASE_URL", None)
        return env

    def fill_and_check(self, source: dict, restored: dict, backup: Path) -> None:
        self.manage(source, "migrate", "-v0")
        self.manage(source, "shell", "-c", DATA)
        out = self.manage(source, "backup", "--output", str(backup))
        head = re.search(r"Audit head in the backup: (\d+:\w+)", out).group(1)
        self.assertEqual(oct(backup.stat().st_mode & 0o777), "0o600")
        before = self.manage(source, "verify_audit")
        counts = self.manage(source, "shell", "-c", COUNTS).splitlines()[-1].split()
        self.restore(restored, backup)
        after = self.manage(restored, "verify_audit", "--expect-head", head)
        self.assertEqual(
            re.search(r"OK: (\d+) entries", after).group(1),
            re.search(r"OK: (\d+) entries", before).group(1),
        )
        self.assertEqual(
            self.manage(restored, "shell", "-c", COUNTS).splitlines()[-1].split(), counts
        )
        self.assertEqual(counts[0], "5")

    def test_it_backs_up_and_restores_sqlite(self):
        tmp = Path(tempfile.mkdtemp(prefix="bondgenoot-backup-"))
        try:
            source = {**self.base_env(), "SQLITE_PATH": str(tmp / "live.sqlite3")}
            restored = {**self.base_env(), "SQLITE_PATH": str(tmp / "restored.sqlite3")}
            self.restore = lambda env, backup: shutil.copy(backup, env["SQLITE_PATH"])
            self.fill_and_check(source, restored, tmp / "backup.sqlite3")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def test_it_backs_up_and_restores_postgresql(self):
        if connection.vendor != "postgresql":
            self.skipTest("runs in the PostgreSQL leg")
        import psycopg

        from bondgenoot.core.management.commands.backup import pg_env, pg_tool

        settings_db = connection.settings_dict
        suffix = uuid.uuid4().hex[:8]
        names = [f"backup_src_{suffix}", f"backup_dst_{suffix}"]
        admin = psycopg.connect(
            host=settings_db["HOST"],
            port=settings_db["PORT"] or 5432,
            user=settings_db["USER"],
            password=settings_db["PASSWORD"] or None,
            dbname="postgres",
            autocommit=True,
        )
        url = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        tmp = Path(tempfile.mkdtemp(prefix="bondgenoot-backup-"))
        try:
            for name in names:
                admin.execute(f'CREATE DATABASE "{name}"')
            source = {**self.base_env(), "DATABASE_URL": f"{url}/{names[0]}"}
            restored = {**self.base_env(), "DATABASE_URL": f"{url}/{names[1]}"}

            def restore(env, backup):
                subprocess.run(
                    [pg_tool("pg_restore"), "--no-owner", "--dbname", names[1], str(backup)],
                    env=pg_env(settings_db),
                    check=True,
                )

            self.restore = restore
            self.fill_and_check(source, restored, tmp / "backup.dump")
        finally:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()
            shutil.rmtree(tmp, ignore_errors=True)
