"""EDEXML 2.x with its guardians CSV: a good file, a re-import, a leaver, and bad files."""

from __future__ import annotations

from datetime import date

from django.test import TestCase
from django.utils import translation

from bondgenoot.people.models import Group, Guardian, Guardianship, Pupil, Role, User
from bondgenoot.roster import actions
from bondgenoot.roster.records import RosterError
from bondgenoot.testing import make_school

from .base import FIXTURES, writes_during

TODAY = date(2026, 11, 30)
EDEX = (FIXTURES / "EDEX.XML").read_text(encoding="utf-8")
GUARDIANS = (FIXTURES / "edex_verzorgers.csv").read_bytes()


class EdexmlImportTest(TestCase):
    def setUp(self):
        self.enterContext(translation.override("en"))  # the problems are asserted in English
        self.school = make_school("De Regenboog")
        self.school.brin = "98YY"
        self.school.save()

    def run_import(self, xml: str = EDEX, guardians: bytes | None = GUARDIANS, **kwargs):
        return actions.import_file(
            xml.encode(),
            "EDEX.XML",
            school=self.school,
            guardians=(guardians, "verzorgers.csv") if guardians is not None else None,
            today=TODAY,
            **kwargs,
        )

    def test_it_imports_a_good_file(self):
        self.run_import()
        self.assertEqual(Pupil.objects.filter(school=self.school).count(), 3)
        mila = Pupil.objects.get(first_name="Mila")
        luuk = Pupil.objects.get(first_name="Luuk")
        self.assertEqual(mila.family_id, luuk.family_id)
        self.assertEqual(
            (mila.group.name, mila.group.school_year, mila.group.year_level), ("5A", 2026, 5)
        )
        self.assertEqual(Guardian.objects.filter(school=self.school).count(), 3)
        ayse = Guardian.objects.get(last_name="Öztürk")
        self.assertEqual(ayse.phone, "+905321234567")
        self.assertEqual(Guardianship.objects.get(guardian=ayse).relation, "mother")
        teacher = User.objects.get(email="e.vandenberg@basisschool.example")
        self.assertEqual(teacher.username, "98yy-t-77")
        self.assertTrue(teacher.memberships.filter(role=Role.MENTOR, school=self.school).exists())
        self.assertEqual(list(Group.objects.get(name="5A").mentors.all()), [teacher])

    def test_it_changes_nothing_when_the_same_file_comes_again(self):
        self.run_import()
        writes = writes_during(self.run_import)
        self.assertTrue(all("audit" in sql for sql in writes), writes)

    def test_it_marks_a_pupil_it_no_longer_lists_as_left(self):
        self.run_import()
        start = EDEX.index('    <leerling key="L-1003">')
        end = EDEX.index("</leerling>", start) + len("</leerling>\n")
        csv = b"\n".join(GUARDIANS.splitlines()[:3]) + b"\n"
        self.run_import(EDEX[:start] + EDEX[end:], csv)
        self.assertEqual(Pupil.objects.get(first_name="Elif").left_on, TODAY)
        self.assertIsNone(Pupil.objects.get(first_name="Mila").left_on)

    def test_without_a_guardians_csv_it_imports_the_pupils_and_warns(self):
        plan = self.run_import(guardians=None)
        self.assertEqual(Pupil.objects.count(), 3)
        self.assertIn("no parents were imported", " ".join(str(w) for w in plan.warnings))

    def assert_refused(self, xml: str, expected: str, guardians: bytes = GUARDIANS):
        with self.assertRaises(RosterError) as caught:
            self.run_import(xml, guardians)
        self.assertIn(expected, "\n".join(str(p) for p in caught.exception.problems))
        self.assertFalse(Pupil.objects.exists())

    def test_it_refuses_a_bad_date_with_its_line(self):
        self.assert_refused(
            EDEX.replace("2016-01-30", "30-01-2016"),
            "EDEX.XML, line 30: the date of birth “30-01-2016” is not a date",
        )

    def test_it_refuses_an_unknown_group(self):
        self.assert_refused(
            EDEX.replace('<groep key="G-6B"/>', '<groep key="G-9Z"/>'),
            "EDEX.XML, line 30: the group “G-9Z” is not in <groepen>",
        )

    def test_it_refuses_duplicate_keys(self):
        self.assert_refused(
            EDEX.replace('leerling key="L-1002"', 'leerling key="L-1001"'),
            "EDEX.XML, line 30: the id “L-1001” is used twice (also on line 22)",
        )

    def test_it_refuses_a_guardian_of_an_unknown_pupil(self):
        xml = EDEX.replace('leerling key="L-1003"', 'leerling key="L-1004"')
        self.assert_refused(xml, "verzorgers.csv, line 4: the pupil “L-1003” is not in EDEX.XML")

    def test_it_refuses_the_wrong_encoding(self):
        data = EDEX.replace("Öztürk", "\udcd6zt\udcfcrk")
        with self.assertRaises(RosterError) as caught:
            actions.import_file(
                data.encode("utf-8", "surrogateescape"), "EDEX.XML", school=self.school, today=TODAY
            )
        self.assertIn("EDEX.XML, line 39: this line is not UTF-8 text", str(caught.exception))

    def test_it_refuses_broken_xml_with_its_line(self):
        self.assert_refused(
            EDEX.replace("</groepen>", "</groep>"), "EDEX.XML, line 20: this is not well-formed XML"
        )
