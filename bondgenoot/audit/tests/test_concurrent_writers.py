"""Several processes append to the audit log at once (web workers, the task worker): the
head row's lock makes them one chain, without gaps or forks. PostgreSQL only (SQLite
allows one writer at a time anyway)."""

from __future__ import annotations

import threading
import unittest

from django.db import connection
from django.test import TransactionTestCase

from bondgenoot.audit.log import record, verify
from bondgenoot.audit.models import AuditEntry
from bondgenoot.testing import make_school, make_user


@unittest.skipUnless(connection.vendor == "postgresql", "row locks: PostgreSQL")
class ConcurrentWritersTest(TransactionTestCase):
    def test_writers_at_the_same_time_make_one_chain(self):
        school = make_school()
        user = make_user("mentor")
        start = threading.Barrier(4)
        errors: list[BaseException] = []

        def write() -> None:
            try:
                start.wait()
                for n in range(15):
                    record(user, AuditEntry.Action.VIEW, user, school_id=school.pk, detail={"n": n})
            except BaseException as exc:  # reported below, in the test's own thread
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=write) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(errors, [])
        checked, problems = verify()
        self.assertEqual(problems, [])
        self.assertEqual(checked, 60)
        self.assertEqual(
            sorted(AuditEntry.objects.values_list("seq", flat=True)), list(range(1, 61))
        )
