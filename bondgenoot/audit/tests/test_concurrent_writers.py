"""Several processes append to the audit log at once (web workers, the task worker): the
head row's lock makes them one chain, without gaps or forks. PostgreSQL only (SQLite
allows one writer at a time anyway)."""

from __future__ import annotations

import threading
import unittest
from unittest import mock

from django.db import DataError, connection, transaction
from django.test import TestCase, TransactionTestCase

from bondgenoot.audit import log
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


@unittest.skipUnless(connection.vendor == "postgresql", "one-statement append: PostgreSQL")
class OptimisticAppendTest(TestCase):
    """On PostgreSQL ``record`` appends in one statement that moves the head only if it is
    still where it was read; a writer that lost the race reads it again."""

    def setUp(self):
        self.user = make_user("mentor")
        record(self.user, AuditEntry.Action.VIEW, self.user)

    def test_it_reads_the_head_once_when_no_one_else_writes(self):
        reads = []
        real = log._read_head
        with mock.patch.object(log, "_read_head", lambda: reads.append(1) or real()):
            entry = record(self.user, AuditEntry.Action.VIEW, self.user)
        self.assertEqual((len(reads), entry.seq), (1, 2))
        self.assertEqual(AuditEntry.objects.get(seq=2).hash, entry.hash)
        self.assertEqual(verify(), (2, []))

    def test_a_writer_that_lost_the_race_reads_the_head_again(self):
        reads = []
        real = log._read_head

        def read_then_lose():
            reads.append(1)
            head = real()
            if len(reads) == 1:  # another writer appends between our read and our write
                log.record_many([log.entry_for(self.user, AuditEntry.Action.VIEW, self.user)])
            return head

        with mock.patch.object(log, "_read_head", read_then_lose):
            entry = record(self.user, AuditEntry.Action.VIEW, self.user, detail={"n": 1})
        self.assertEqual((len(reads), entry.seq), (2, 3))
        self.assertEqual(verify(), (3, []))

    def test_after_losing_every_race_it_takes_the_lock(self):
        with mock.patch.object(log, "_read_head", return_value=(-5, "not the head")):
            entry = record(self.user, AuditEntry.Action.VIEW, self.user)
        self.assertEqual(entry.seq, 2)
        self.assertEqual(verify(), (2, []))

    def test_a_value_too_long_for_its_column_is_refused_not_cut(self):
        # Cut, the row would no longer match its hash: a false alarm of tampering.
        entry = log.entry_for(self.user, AuditEntry.Action.VIEW, self.user)
        entry.object_id = "x" * 64  # the column's length: fits
        self.assertTrue(log._append_if_head_is(entry, *log._read_head()))
        entry = log.entry_for(self.user, AuditEntry.Action.VIEW, self.user)
        entry.object_id = "x" * 65
        with self.assertRaises(DataError), transaction.atomic():
            log._append_if_head_is(entry, *log._read_head())
        self.assertEqual(verify(), (2, []))
