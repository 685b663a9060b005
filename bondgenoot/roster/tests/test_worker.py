"""The page's import runs in a real worker (``manage.py db_worker``), in subprocesses
against their own SQLite file, as in production: upload, preview, confirm, and the
worker imports. Then a worker killed inside the import's transaction leaves nothing
behind, and trying again imports everything exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.test import SimpleTestCase

from bondgenoot.testing import start_worker

ROOT = Path(__file__).resolve().parents[3]

SETUP = """
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from bondgenoot.people.models import Role
from bondgenoot.roster.models import ImportRun
from bondgenoot.roster.tests.base import oneroster_zip
from bondgenoot.testing import log_in, make_school, make_user, start_worker

school = make_school()
school.brin = "99XX"
school.save()
admin = make_user("beheerder", school=school, roles=[Role.ADMINISTRATOR])
client = Client()
log_in(client, admin)
upload = SimpleUploadedFile("x.zip", oneroster_zip())
response = client.post(reverse("roster:start"), {"upload-file": upload})
assert response.status_code == 302, response.status_code
run = ImportRun.objects.get()
for _ in range(2):  # a double click queues one task
    assert client.post(reverse("roster:confirm", args=[run.pk])).status_code == 302
url = reverse("roster:run", args=[run.pk])
page = client.get(url, HTTP_HX_REQUEST="true", data={"part": "status"})
assert b"import-bar" in page.content, page.content
"""

CHECK = """
from django_tasks_db.models import DBTaskResult
from bondgenoot.audit.models import AuditEntry
from bondgenoot.people.models import Guardian, Pupil
from bondgenoot.roster.models import ImportRun, SourceLink
run = ImportRun.objects.get()
print(run.status, run.progress, DBTaskResult.objects.count(), Pupil.objects.count(),
      Guardian.objects.count(), SourceLink.objects.count(),
      AuditEntry.objects.filter(detail__event="roster_import").count())
"""

RETRY = """
from datetime import timedelta
from django.utils import timezone
from bondgenoot.people.models import User
from bondgenoot.roster import actions
from bondgenoot.roster.models import ImportRun
run = ImportRun.objects.get()
assert not actions.retry(None, run)  # within its lease: not yet
ImportRun.objects.update(started_at=timezone.now() - timedelta(hours=1))
assert actions.retry(User.objects.get(username="beheerder"), run)
"""


class ImportWorkerTest(SimpleTestCase):
    def setUp(self):
        tmp = Path(tempfile.mkdtemp(prefix="bondgenoot-roster-"))
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bondgenoot.settings",
            "DEBUG": "1",
            "SQLITE_PATH": str(tmp / "db.sqlite3"),
            "OUTBOX_DIR": str(tmp / "outbox"),
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "ALLOWED_HOSTS": "testserver",
        }
        self.env.pop("DATABASE_URL", None)
        self.manage("migrate", "--verbosity", "0")
        self.manage("shell", "-v", "0", "-c", SETUP)

    def manage(self, *args: str) -> str:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        ).stdout

    def check(self) -> list[str]:
        return self.manage("shell", "-v", "0", "-c", CHECK).split()

    def test_a_real_worker_imports_the_confirmed_upload(self):
        # Confirmed twice, one task, nothing imported yet: the web request only queued it.
        self.assertEqual(self.check(), ["queued", "0", "1", "0", "0", "0", "0"])
        self.manage("db_worker", "--batch", "--no-reload")
        self.assertEqual(self.check(), ["done", "100", "1", "4", "5", "13", "1"])

    def test_a_worker_killed_inside_the_transaction_leaves_nothing_and_a_retry_imports_once(self):
        env = {**self.env, "ROSTER_IMPORT_PAUSE": "60"}
        worker = start_worker(env)
        try:
            deadline = time.monotonic() + 120
            while self.check()[:2] != ["running", "20"] and time.monotonic() < deadline:
                time.sleep(0.2)
            time.sleep(2)  # the import is written and waits, uncommitted
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        finally:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
        # Killed halfway: nothing of the import is kept; the run still says "running".
        self.assertEqual(self.check(), ["running", "20", "1", "0", "0", "0", "0"])
        self.manage("shell", "-v", "0", "-c", RETRY)
        self.manage("db_worker", "--batch", "--no-reload", "--no-startup-delay")
        self.assertEqual(self.check(), ["done", "100", "2", "4", "5", "13", "1"])
