"""OneRoster 1.2: a good file, a re-import, a leaver, a guardian losing authority, the
audit entry, and each kind of bad file (nothing written, errors with line numbers)."""

from __future__ import annotations

import io
import tempfile
import zipfile
from datetime import date
from pathlib import Path
from unittest import mock

from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import translation

from bondgenoot.access.parents import parent_children
from bondgenoot.audit.models import AuditEntry
from bondgenoot.people.models import (
    Family,
    Group,
    Guardian,
    Guardianship,
    Membership,
    Pupil,
    Role,
    School,
    User,
)
from bondgenoot.roster import actions
from bondgenoot.roster.formats import detect
from bondgenoot.roster.models import SourceLink
from bondgenoot.roster.records import RosterError
from bondgenoot.testing import make_school

from .base import oneroster_zip, replace, without_line, writes_during

TODAY = date(2026, 11, 30)


class OneRosterImportTest(TestCase):
    def setUp(self):
        self.enterContext(translation.override("en"))  # the problems are asserted in English
        self.school = make_school()
        self.school.brin = "99XX"
        self.school.save()

    def run_import(self, data: bytes | None = None, **kwargs):
        return actions.import_file(data or oneroster_zip(), "export.zip", today=TODAY, **kwargs)

    def test_it_imports_a_good_file(self):
        plan = self.run_import()
        self.assertEqual(Pupil.objects.filter(school=self.school).count(), 4)
        self.assertEqual(Guardian.objects.filter(school=self.school).count(), 5)
        self.assertEqual(Group.objects.filter(school=self.school, school_year=2026).count(), 2)
        # Siblings who share their parents are one family; the others one each.
        noor = Pupil.objects.get(pupil_number="100001")
        daan = Pupil.objects.get(pupil_number="100002")
        self.assertEqual(noor.family_id, daan.family_id)
        self.assertEqual(Family.objects.filter(school=self.school).count(), 3)
        self.assertEqual(noor.group.name, "1A")
        self.assertEqual(daan.group.name, "1B")
        self.assertEqual(noor.date_of_birth, date(2014, 3, 2))
        vos = Pupil.objects.get(pupil_number="100003")
        self.assertEqual((vos.last_name_prefix, vos.last_name), ("van der", "Vos"))
        # Phone numbers in E.164, a Moroccan mobile too; an unusable email left out.
        anna = Guardian.objects.get(email="anna.bakker@example.org")
        self.assertEqual(anna.phone, "+31612345678")
        self.assertEqual(Guardian.objects.get(email="fatima@example.org").phone, "+212612345678")
        self.assertEqual(Guardian.objects.get(first_name="Karim").email, "")
        self.assertIn("users.csv, line 10", " ".join(str(w) for w in plan.warnings))
        link = Guardianship.objects.get(pupil=noor, guardian=anna)
        self.assertEqual((link.relation, link.parental_authority), ("mother", True))
        # Teachers: an account without a usable password, named by BRIN and source id,
        # a teacher's membership, and the homeroom's primary teacher as its mentor.
        teacher = User.objects.get(email="m.jansen@voorbeeldcollege.example")
        self.assertEqual(teacher.username, "99xx-tea-1")
        self.assertFalse(teacher.has_usable_password())
        self.assertEqual(
            set(Membership.objects.filter(user=teacher).values_list("role", flat=True)),
            {Role.TEACHER, Role.MENTOR},
        )
        self.assertEqual(list(Group.objects.get(name="1A").mentors.all()), [teacher])
        # Source ids are stored per school.
        self.assertEqual(SourceLink.objects.filter(school=self.school, kind="pupil").count(), 4)
        self.assertEqual(plan.counts["pupils_new"], 4)

    def test_it_changes_nothing_when_the_same_file_comes_again(self):
        self.run_import()
        writes = writes_during(lambda: self.run_import())
        # Only the audit entry of the second import (the entry and the chain's head).
        self.assertTrue(all("audit" in sql for sql in writes), writes)
        plan = self.run_import(dry_run=True)
        self.assertEqual(plan.writes(), 0)
        self.assertEqual(plan.summary(), {})

    def test_it_updates_what_changed(self):
        self.run_import()
        plan = self.run_import(
            oneroster_zip(
                users_csv=replace(
                    "Anna,Bakker,,,anna.bakker@example.org", "Anna,Bakker,,,anna@new.example"
                )
            )
        )
        self.assertEqual(plan.summary(), {"guardians_changed": 1})
        self.assertTrue(Guardian.objects.filter(email="anna@new.example").exists())

    def test_it_marks_a_pupil_missing_from_a_full_export_as_left(self):
        self.run_import()
        plan = self.run_import(
            oneroster_zip(
                users_csv=without_line("stu-3,"),
                roles_csv=without_line("r-3,"),
                enrollments_csv=without_line("e-3,"),
                demographics_csv=without_line("stu-3,"),
            )
        )
        sem = Pupil.objects.get(pupil_number="100003")
        self.assertEqual(sem.left_on, TODAY)
        self.assertEqual(plan.counts["pupils_left"], 1)
        self.assertEqual(Pupil.objects.count(), 4)  # never deleted
        # Back in the next export: at school again.
        self.run_import()
        sem.refresh_from_db()
        self.assertIsNone(sem.left_on)

    def test_a_delta_export_marks_only_the_pupils_it_names_as_left(self):
        self.run_import()
        delta = oneroster_zip(
            manifest_csv=replace("file.users,bulk", "file.users,delta"),
            users_csv=lambda t: without_line("stu-1,")(t).replace("stu-2,,", "stu-2,tobedeleted,"),
        )
        self.run_import(delta)
        self.assertIsNone(Pupil.objects.get(pupil_number="100001").left_on)
        self.assertEqual(Pupil.objects.get(pupil_number="100002").left_on, TODAY)

    def test_a_guardian_gone_from_the_export_loses_parental_authority_at_once(self):
        self.run_import()
        parent = User.objects.create_user("parent-joris")
        joris = Guardian.objects.get(first_name="Joris")
        joris.user = parent
        joris.save()
        self.assertEqual(parent_children(parent).count(), 2)
        plan = self.run_import(
            oneroster_zip(users_csv=lambda t: t.replace('"par-1,par-2"', "par-1"))
        )
        self.assertEqual(plan.counts["authority_ended"], 2)
        self.assertFalse(
            Guardianship.objects.filter(guardian=joris, parental_authority=True).exists()
        )
        self.assertEqual(parent_children(parent).count(), 0)

    def test_every_import_is_audited_with_counts_not_names(self):
        self.run_import()
        entry = AuditEntry.objects.filter(detail__event="roster_import").get()
        self.assertEqual(entry.school_id, self.school.pk)
        self.assertEqual(entry.detail["counts"]["pupils_new"], 4)
        self.assertEqual(entry.detail["format"], "oneroster")
        self.assertNotIn("Bakker", str(entry.detail))

    def test_it_matches_the_school_on_brin_and_creates_one_it_does_not_know(self):
        self.school.brin = ""
        self.school.save()
        self.run_import()
        created = School.objects.get(brin="99XX")
        self.assertEqual(created.name, "Het Voorbeeldcollege")
        self.assertEqual(Pupil.objects.filter(school=created).count(), 4)

    def test_a_pupil_without_guardians_is_imported_with_a_warning(self):
        plan = self.run_import(oneroster_zip(users_csv=replace('"par-4,par-5"', "")))
        self.assertTrue(Pupil.objects.filter(pupil_number="100004").exists())
        self.assertIn(
            "users.csv, line 5: this pupil has no parent or guardian",
            "\n".join(str(w) for w in plan.warnings),
        )

    def assert_refused(self, data: bytes, *expected: str):
        with self.assertRaises(RosterError) as caught:
            self.run_import(data)
        text = "\n".join(str(p) for p in caught.exception.problems)
        for part in expected:
            self.assertIn(part, text)
        self.assertFalse(Pupil.objects.exists())
        self.assertFalse(Guardian.objects.exists())
        self.assertFalse(SourceLink.objects.exists())
        self.assertFalse(AuditEntry.objects.filter(detail__event="roster_import").exists())

    def test_it_refuses_a_missing_file(self):
        self.assert_refused(oneroster_zip(roles_csv=None), "roles.csv: this file is missing")

    def test_it_refuses_a_missing_column(self):
        self.assert_refused(
            oneroster_zip(users_csv=replace("givenName", "firstName")),
            "users.csv, line 1: the column “givenName” is missing",
        )

    def test_it_refuses_a_bad_date(self):
        self.assert_refused(
            oneroster_zip(demographics_csv=replace("2014-06-15", "15-06-2014")),
            "demographics.csv, line 5: the date of birth “15-06-2014” is not a date",
        )

    def test_it_refuses_an_unknown_class(self):
        self.assert_refused(
            oneroster_zip(enrollments_csv=replace("e-4,,,cls-1b", "e-4,,,cls-9z")),
            "enrollments.csv, line 5: the class “cls-9z” is not in classes.csv",
        )

    def test_it_refuses_an_unknown_org(self):
        self.assert_refused(
            oneroster_zip(
                classes_csv=replace(
                    "homeroom,,org-1,sy-2026,,,\ncls-1b", "homeroom,,org-9,sy-2026,,,\ncls-1b"
                )
            ),
            "classes.csv, line 2: the school “org-9” is not in orgs.csv",
        )

    def test_it_refuses_a_role_at_an_unknown_org(self):
        self.assert_refused(
            oneroster_zip(
                roles_csv=replace(
                    "r-3,,,stu-3,primary,student,,,org-1,", "r-3,,,stu-3,primary,student,,,org-7,"
                )
            ),
            "roles.csv, line 4: the school “org-7” is not in orgs.csv",
        )

    def test_it_refuses_duplicate_ids(self):
        self.assert_refused(
            oneroster_zip(users_csv=replace("stu-2,,,true", "stu-1,,,true")),
            "users.csv, line 3: the id “stu-1” is used twice (also on line 2)",
        )

    def test_it_refuses_the_wrong_encoding(self):
        # users.csv in Windows-1252: OneRoster files must be UTF-8.
        buffer = io.BytesIO()
        with (
            zipfile.ZipFile(io.BytesIO(oneroster_zip())) as source,
            zipfile.ZipFile(buffer, "w") as target,
        ):
            for name in source.namelist():
                content = source.read(name)
                if name == "users.csv":
                    content = content.decode().replace("Sem,Vos", "Sém,Vos").encode("cp1252")
                target.writestr(name, content)
        self.assert_refused(buffer.getvalue(), "users.csv, line 4: this line is not UTF-8 text")

    def test_it_refuses_a_pupil_number_used_twice(self):
        self.assert_refused(
            oneroster_zip(users_csv=replace(",Bakker,,100002,", ",Bakker,,100001,")),
            "users.csv, line 3: the pupil number “100001” is already used by another pupil",
        )

    def test_it_refuses_the_export_of_another_school(self):
        data = oneroster_zip(orgs_csv=replace("school,99XX", "school,11AA"))
        with self.assertRaises(RosterError) as caught:
            self.run_import(data, school=self.school)
        self.assertIn("BRIN code 11AA, not 99XX", str(caught.exception))
        self.assertFalse(Pupil.objects.exists())

    def test_it_refuses_a_zip_that_unpacks_too_large_before_unpacking(self):
        with mock.patch.object(detect, "MAX_UNPACKED", 1000):
            self.assert_refused(oneroster_zip(), "export.zip: the zip unpacks to more than 1 GB")

    def test_the_command_exits_non_zero_with_line_numbers_and_writes_nothing(self):
        path = Path(tempfile.mkdtemp()) / "export.zip"
        path.write_bytes(oneroster_zip(demographics_csv=replace("2014-06-15", "2014-13-45")))
        with self.assertRaises(CommandError):
            call_command("import_roster", str(path), "--school", str(self.school.pk))
        self.assertFalse(Pupil.objects.exists())
        path.write_bytes(oneroster_zip())
        call_command("import_roster", str(path), "--school", str(self.school.pk), "--dry-run")
        self.assertFalse(Pupil.objects.exists())
        call_command("import_roster", str(path), "--school", str(self.school.pk))
        self.assertEqual(Pupil.objects.count(), 4)
