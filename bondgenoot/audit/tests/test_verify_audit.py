"""The audit log's hash chain detects edited, inserted and deleted rows."""

from io import StringIO
from itertools import pairwise

from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase, override_settings

from bondgenoot.audit.log import Route, current_route, entry_hash, record, verify
from bondgenoot.audit.models import AuditEntry
from bondgenoot.testing import make_school, make_user


def raw(sql: str, params=()) -> None:
    """Tamper like an attacker would: straight in the database, past the ORM's guards."""
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("{t}", AuditEntry._meta.db_table), params)


class VerifyAuditTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.school = make_school()
        cls.user = make_user("mentor")
        for n in range(5):
            record(
                cls.user, AuditEntry.Action.VIEW, cls.user, school_id=cls.school.pk, detail={"n": n}
            )

    def run_command(self) -> str:
        out, err = StringIO(), StringIO()
        call_command("verify_audit", stdout=out, stderr=err)
        return out.getvalue()

    def assert_tampered(self, *, seq: int, message: str) -> None:
        err = StringIO()
        with self.assertRaisesMessage(CommandError, "tampered"):
            call_command("verify_audit", stdout=StringIO(), stderr=err)
        self.assertIn(f"entry {seq}: ", err.getvalue())
        self.assertIn(message, err.getvalue())

    def test_a_long_method_a_client_sends_is_recorded_cut_and_intact(self):
        # Any token of up to 20 characters reaches the app as the request's method.
        token = current_route.set(Route("people:family", "VERYLONGMETHOD"))
        try:
            entry = record(self.user, AuditEntry.Action.ACCESS_DENIED)
        finally:
            current_route.reset(token)
        self.assertEqual(AuditEntry.objects.get(pk=entry.pk).method, "VERYLONGME")
        self.assertIn("OK: 6 entries", self.run_command())

    def test_it_accepts_an_intact_chain(self):
        output = self.run_command()
        self.assertIn("OK: 5 entries", output)

    def test_it_chains_each_entry_to_the_previous_one(self):
        entries = list(AuditEntry.objects.order_by("seq"))
        self.assertEqual([e.seq for e in entries], [1, 2, 3, 4, 5])
        for before, after in pairwise(entries):
            self.assertEqual(after.prev_hash, before.hash)

    def test_it_detects_an_edited_row(self):
        raw("UPDATE {t} SET action = 'delete' WHERE seq = 3")
        self.assert_tampered(seq=3, message="edited")

    def test_it_detects_an_edited_detail(self):
        raw("UPDATE {t} SET actor_id = NULL WHERE seq = 2")
        self.assert_tampered(seq=2, message="edited")

    def test_it_detects_a_deleted_row(self):
        raw("DELETE FROM {t} WHERE seq = 3")
        self.assert_tampered(seq=4, message="missing")

    def test_it_detects_deleted_rows_at_the_end(self):
        raw("DELETE FROM {t} WHERE seq >= 4")
        self.assert_tampered(seq=5, message="newest entries are missing")

    def test_it_detects_an_inserted_row(self):
        # Make room after entry 2 and insert a well-formed row there, even with the right
        # key: the entry after it no longer links to it.
        raw("UPDATE {t} SET seq = seq + 100 WHERE seq >= 3")
        raw("UPDATE {t} SET seq = seq - 99 WHERE seq >= 103")
        second = AuditEntry.objects.get(seq=2)
        forged = AuditEntry(
            seq=3,
            at=second.at,
            actor_id=None,
            school_id=self.school.pk,
            action="view",
            object_type="",
            object_id="",
            family_id="",
            route="",
            method="",
            detail={},
            prev_hash=second.hash,
        )
        forged.hash = entry_hash(forged, second.hash)
        forged.save()
        self.assert_tampered(seq=4, message="does not link")

    def test_it_detects_a_row_forged_without_the_key(self):
        with override_settings(AUDIT_HMAC_KEY="attacker-guess"):
            record(None, AuditEntry.Action.VIEW)
        self.assert_tampered(seq=6, message="edited")

    def test_it_counts_what_it_checked(self):
        count, problems = verify()
        self.assertEqual((count, problems), (5, []))


class AppendOnlyTest(TestCase):
    def test_it_refuses_updates_and_deletes_through_the_orm(self):
        entry = record(None, AuditEntry.Action.VIEW)
        with self.assertRaises(TypeError):
            entry.save()
        with self.assertRaises(TypeError):
            entry.delete()
        with self.assertRaises(TypeError):
            AuditEntry.objects.all().delete()
        with self.assertRaises(TypeError):
            AuditEntry.objects.update(action="x")


class AuditHeadAnchorTest(TestCase):
    """ASVS 16.4.2/16.4.3: the newest entries cannot vanish unnoticed once the head was
    exported (finding 11)."""

    @classmethod
    def setUpTestData(cls):
        cls.user = make_user("mentor")
        for n in range(5):
            record(cls.user, AuditEntry.Action.VIEW, cls.user, detail={"n": n})

    def export(self, path) -> tuple[int, str]:
        call_command("export_audit_head", file=str(path), stdout=StringIO())
        _date, seq, hash_ = path.read_text().splitlines()[-1].split()
        return int(seq), hash_

    def test_it_detects_deleted_newest_entries_with_an_exported_head(self):
        import tempfile
        from pathlib import Path

        path = Path(tempfile.mkdtemp()) / "heads.txt"
        seq, hash_ = self.export(path)
        self.assertEqual(seq, 6)  # five views and the export itself
        # Positive control: intact, with the anchor and with the file.
        call_command("verify_audit", expect_head=[f"{seq}:{hash_}"], stdout=StringIO())
        call_command("verify_audit", heads_file=str(path), stdout=StringIO())
        # Delete the two newest rows and set the head back: the chain alone is intact...
        raw("DELETE FROM {t} WHERE seq >= 5")
        fourth = AuditEntry.objects.get(seq=4)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE audit_audithead SET seq = %s, hash = %s WHERE id = 1", [4, fourth.hash]
            )
        call_command("verify_audit", stdout=StringIO())
        # ...but not against the exported head.
        for options in ({"expect_head": [f"{seq}:{hash_}"]}, {"heads_file": str(path)}):
            err = StringIO()
            with self.assertRaisesMessage(CommandError, "tampered"):
                call_command("verify_audit", stdout=StringIO(), stderr=err, **options)
            self.assertIn("exported head is gone", err.getvalue())

    def test_it_detects_a_rewritten_anchor_entry(self):
        head = AuditEntry.objects.order_by("-seq").first()
        err = StringIO()
        with self.assertRaisesMessage(CommandError, "tampered"):
            call_command(
                "verify_audit",
                expect_head=[f"{head.seq}:{'0' * 64}"],
                stdout=StringIO(),
                stderr=err,
            )
        self.assertIn("differs from the exported head", err.getvalue())

    def test_it_mails_the_head_to_administrators(self):
        import tempfile
        from pathlib import Path

        from django.core import mail

        from bondgenoot.people.models import Role

        school = make_school()
        make_user("boss", school=school, roles=[Role.ADMINISTRATOR])
        path = Path(tempfile.mkdtemp()) / "heads.txt"
        call_command("export_audit_head", file=str(path), mail=True, stdout=StringIO())
        self.assertEqual(mail.outbox[0].to, ["boss@example.org"])
        self.assertIn(path.read_text().split()[-1], mail.outbox[0].body)


class RecordManyTest(TestCase):
    def test_a_batch_continues_the_chain_as_single_entries_would(self):
        from bondgenoot.audit.log import entry_for, record_many

        school = make_school()
        user = make_user("mentor")
        record(user, AuditEntry.Action.VIEW, user, school_id=school.pk)
        record_many(
            [
                entry_for(
                    user, AuditEntry.Action.CREATE, user, school_id=school.pk, detail={"n": n}
                )
                for n in range(3)
            ]
        )
        record(user, AuditEntry.Action.VIEW, user, school_id=school.pk)
        entries = list(AuditEntry.objects.order_by("seq"))
        self.assertEqual([e.seq for e in entries], [1, 2, 3, 4, 5])
        for before, after in pairwise(entries):
            self.assertEqual(after.prev_hash, before.hash)
        self.assertEqual(verify(), (5, []))
        self.assertEqual([e.detail.get("n") for e in entries], [None, 0, 1, 2, None])
