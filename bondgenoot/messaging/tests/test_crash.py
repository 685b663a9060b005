"""A bulk send survives a crash: a real worker (``manage.py db_worker``) is killed halfway,
``resume_deliveries`` queues the rest, and every guardian got the message exactly once.

Runs against its own SQLite file and outbox directory, in subprocesses, as in production.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from django.test import SimpleTestCase

from bondgenoot.testing import start_worker

ROOT = Path(__file__).resolve().parents[3]

SETUP = """
from django.db import transaction
from bondgenoot.messaging.actions import create_message
from bondgenoot.messaging.planning import plan
from bondgenoot.people.models import Family, Guardian, Role
from bondgenoot.testing import make_family, make_group, make_school, make_user

school = make_school()
mentor = make_user("mentor", school=school, roles=[Role.MENTOR])
group = make_group(school, "1A", mentors=[mentor])
for n in range(20):
    make_family(school, group, name=f"Gezin {n:02d}", guardians=2)
# Half of them prefer email, the others the app (text messages).
for i, g in enumerate(Guardian.objects.order_by("pk")):
    g.preferred_channels = ["email"] if i % 2 else ["app"]
    g.save()
reachable, _ = plan(Family.objects.all())
with transaction.atomic():
    create_message(mentor, school.pk, subject="Nieuws", body="Hallo {child}",
                   purpose="practical", template_key="", translated=False, values={},
                   audience="1A", recipients=reachable)
print(len(reachable))
"""

CHECK = """
from bondgenoot.contacts.models import Contact
from bondgenoot.messaging.models import Delivery
print(Delivery.objects.count(), Delivery.objects.filter(status="sent").count(),
      Contact.objects.count())
"""


class Run:
    """One test's own SQLite file, outbox and environment, with ``manage.py`` in it and
    a real worker that is killed once ``sent`` deliveries are in the outbox."""

    def __init__(self, prefix: str, **extra: str):
        self.tmp = Path(tempfile.mkdtemp(prefix=prefix))
        self.outbox = self.tmp / "outbox"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bondgenoot.settings",
            "DEBUG": "1",
            "SQLITE_PATH": str(self.tmp / "db.sqlite3"),
            "OUTBOX_DIR": str(self.outbox),
            "MAILER": "outbox",
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "DELIVERY_PAUSE": "0.05",
            **extra,
        }
        self.env.pop("DATABASE_URL", None)

    def manage(self, *args: str) -> str:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    def sent_files(self) -> list[str]:
        return [p.stem for p in self.outbox.glob("*/*") if p.is_file()]

    def kill_worker_after(self, sent: int, poll: float) -> int:
        """Start a worker, SIGKILL its process group once ``sent`` files are out (or
        after a minute); its process group id."""
        worker = start_worker(self.env)
        try:
            deadline = time.monotonic() + 60
            while len(self.sent_files()) < sent and time.monotonic() < deadline:
                time.sleep(poll)
            os.killpg(worker.pid, signal.SIGKILL)  # no chance to clean up
            worker.wait()
        finally:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
        return worker.pid


class WorkerCrashTest(SimpleTestCase):
    def test_killing_the_worker_halfway_sends_nothing_twice(self):
        run = Run("bondgenoot-crash-")
        manage, sent_files = run.manage, run.sent_files
        manage("migrate", "-v0")
        total = int(manage("shell", "-c", SETUP).strip().splitlines()[-1])
        self.assertEqual(total, 40)

        worker_group = run.kill_worker_after(12, poll=0.05)
        halfway = len(sent_files())
        self.assertGreaterEqual(halfway, 12)
        self.assertLess(halfway, total, "the worker finished before it was killed")
        # The kill really stopped the sending: nothing else (an orphaned worker behind a
        # reloader) keeps delivering. At 0.05 s a delivery, 20 pauses would send 20 more.
        time.sleep(1.0)
        self.assertEqual(len(sent_files()), halfway, "something still sends after the kill")
        self.assertFalse(_group_alive(worker_group), "a process of the worker survived")

        run.env["DELIVERY_LEASE_SECONDS"] = "0"  # the killed worker's claim is not waited for
        manage("resume_deliveries")
        manage("db_worker", "--batch", "--no-startup-delay")

        files = sent_files()
        # Every delivery exactly once: one file per delivery id, no more, no less.
        self.assertEqual(len(files), total)
        self.assertEqual(len({f.split("@")[0] for f in files}), total)
        deliveries, sent, contacts = map(int, manage("shell", "-c", CHECK).splitlines()[-1].split())
        self.assertEqual((deliveries, sent), (total, total))
        self.assertEqual(contacts, 20)  # one ledger contact per family


class BatchedWorkerCrashTest(SimpleTestCase):
    """Deliveries are claimed, sent and marked sent in batches (``DELIVERY_BATCH``): a kill
    in the middle of a batch resends at most that batch, with the same keys, and the
    batches finished before it are never sent again."""

    def test_a_kill_in_a_batch_resends_at_most_that_batch(self):
        run = Run(
            "bondgenoot-crash-batch-",
            DELIVERY_BATCH="10",
            SMS_BACKEND="bondgenoot.messaging.tests.test_crash.CountingGateway",
        )
        attempts = run.tmp / "attempts.log"
        run.env["ATTEMPTS_LOG"] = str(attempts)
        manage, sent_files = run.manage, run.sent_files

        def sent_in_database():
            return int(manage("shell", "-c", CHECK).splitlines()[-1].split()[1])

        manage("migrate", "-v0")
        total = int(manage("shell", "-c", SETUP).strip().splitlines()[-1])
        # Into the third batch: two batches are sent and marked sent.
        run.kill_worker_after(25, poll=0.02)
        halfway = len(sent_files())
        self.assertGreaterEqual(halfway, 25)
        self.assertLess(halfway, total, "the worker finished before it was killed")
        marked = sent_in_database()
        # Whole batches were marked sent, the one being sent was not.
        self.assertEqual(marked % 10, 0)
        self.assertGreaterEqual(marked, 20)
        self.assertLess(marked, halfway)
        sms_before = _lines(attempts)

        run.env["DELIVERY_LEASE_SECONDS"] = "0"  # the killed worker's claim is not waited for
        manage("resume_deliveries")
        manage("db_worker", "--batch", "--no-startup-delay")

        files = sent_files()
        self.assertEqual(len(files), total)  # every delivery exactly once, none lost
        self.assertEqual(len({f.split("@")[0] for f in files}), total)
        self.assertEqual(sent_in_database(), total)
        # Only the batch that was cut off was tried again (its text messages; their keys
        # made the gateway ignore those it had already taken); the batches marked sent
        # before the kill were not.
        tried_again = set(_lines(attempts)[len(sms_before) :]) & set(sms_before)
        self.assertLessEqual(len(tried_again), 10)
        self.assertLessEqual(tried_again, set(sms_before[-10:]))
        tries = Counter(_lines(attempts))
        self.assertEqual({key for key, n in tries.items() if n > 1}, tried_again)
        self.assertLessEqual(max(tries.values()), 2)
        counts = manage("shell", "-c", CHECK).splitlines()[-1].split()
        self.assertEqual(int(counts[2]), 20)  # one ledger contact per family


class CountingGateway:
    """The file gateway, writing down every key it is asked to send (the test's witness
    of what was tried again)."""

    def send(self, to, text, key):
        from bondgenoot.lib.sms import FileGateway

        with open(os.environ["ATTEMPTS_LOG"], "a") as log:
            log.write(key + "\n")
        return FileGateway().send(to, text, key)


def _lines(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True
