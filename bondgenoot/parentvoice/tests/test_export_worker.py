"""The export is built by a real worker (``manage.py db_worker --batch --no-reload``)
with the database tasks backend, in subprocesses against their own SQLite file, as in
production. Asking twice before the worker runs makes one job."""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[3]

SETUP = """
from django.db import transaction
from django.test import Client
from django.urls import reverse
from bondgenoot.people.models import Guardian, Pupil, Role
from bondgenoot.testing import add_contact, make_family, make_group, make_school, make_user

school = make_school()
mentor = make_user("mentor", school=school, roles=[Role.MENTOR])
group = make_group(school, "1A", mentors=[mentor])
family = make_family(school, group, name="Jansen")
pupil = Pupil.objects.get(family=family)
parent = make_user("parent")
guardian = Guardian.objects.filter(guardianships__pupil=pupil).order_by("pk").first()
guardian.user = parent
guardian.save()
contact = add_contact(family, mentor, note="Fijn gesprek.")
contact.pupils.set([pupil])
client = Client()
client.force_login(parent)
url = reverse("parentvoice:export", args=[pupil.pk])
for _ in range(2):
    assert client.post(url).status_code == 302
print(pupil.pk)
"""

CHECK = """
from bondgenoot.parentvoice.models import ExportJob
from django_tasks_db.models import DBTaskResult
jobs = list(ExportJob.objects.all())
print(len(jobs), jobs[0].status, jobs[0].progress, DBTaskResult.objects.count())
print(bytes(jobs[0].data).decode() if jobs[0].data else "{}")
"""


class ExportWorkerTest(SimpleTestCase):
    def test_a_real_worker_builds_one_export(self):
        tmp = Path(tempfile.mkdtemp(prefix="bondgenoot-export-"))
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bondgenoot.settings",
            "DEBUG": "1",
            "SQLITE_PATH": str(tmp / "db.sqlite3"),
            "OUTBOX_DIR": str(tmp / "outbox"),
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "ALLOWED_HOSTS": "testserver",
        }
        env.pop("DATABASE_URL", None)

        def manage(*args, **kwargs):
            return subprocess.run(
                [sys.executable, "manage.py", *args],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=True,
                timeout=300,
                **kwargs,
            ).stdout

        manage("migrate", "--verbosity", "0")
        manage("shell", "-v", "0", "-c", SETUP)
        before = manage("shell", "-v", "0", "-c", CHECK).splitlines()[0].split()
        # Asked twice, one job, not built yet: the web request only queued it.
        self.assertEqual(before[:2], ["1", "queued"])
        self.assertEqual(before[3], "1")
        manage("db_worker", "--batch", "--no-reload")
        lines = manage("shell", "-v", "0", "-c", CHECK).splitlines()
        self.assertEqual(lines[0].split()[:3], ["1", "done", "100"])
        data = json.loads("\n".join(lines[1:]))
        self.assertEqual([c["note"] for c in data["contacts"]], ["Fijn gesprek."])
