"""A school's own CSV with its column mapping: encodings, separators, a re-import, a
leaver, a parent losing authority, the mapping saved per school, and bad files."""

from __future__ import annotations

from datetime import date

from django.test import TestCase
from django.utils import translation

from bondgenoot.people.models import Guardian, Guardianship, Pupil
from bondgenoot.roster import actions
from bondgenoot.roster.formats.generic_csv import DEFAULT_MAPPING, MappingError
from bondgenoot.roster.records import RosterError
from bondgenoot.testing import make_school, make_user

from .base import FIXTURES, writes_during

TODAY = date(2026, 11, 30)
CP1252 = (FIXTURES / "generic_1252.csv").read_bytes()
UTF8_BOM = (FIXTURES / "generic_utf8_bom.csv").read_bytes()


class GenericCsvImportTest(TestCase):
    def setUp(self):
        self.enterContext(translation.override("en"))  # the problems are asserted in English
        self.school = make_school()

    def run_import(self, data: bytes = CP1252, **kwargs):
        return actions.import_file(data, "export.csv", school=self.school, today=TODAY, **kwargs)

    def test_it_reads_windows_1252_with_semicolons(self):
        self.run_import(CP1252)
        self.assertTrue(Pupil.objects.filter(first_name="Zoë").exists())
        self.assertTrue(Guardian.objects.filter(first_name="Inés").exists())

    def test_it_reads_utf8_with_a_bom_and_commas_as_the_same_file(self):
        self.run_import(UTF8_BOM)
        first = sorted(Pupil.objects.values_list("pupil_number", "first_name", "last_name"))
        writes = writes_during(lambda: self.run_import(CP1252))
        self.assertTrue(all("audit" in sql for sql in writes), writes)
        self.assertEqual(first[0], ("5001", "Zoë", "Hendriks"))

    def test_it_imports_families_groups_and_guardianships(self):
        self.run_import()
        zoe, mees = Pupil.objects.get(first_name="Zoë"), Pupil.objects.get(first_name="Mees")
        self.assertEqual(zoe.family_id, mees.family_id)
        self.assertEqual(zoe.group.name, "2B")
        olek = Guardian.objects.get(first_name="Olek")
        self.assertEqual(olek.phone, "+380501234567")  # a Ukrainian mobile
        link = Guardianship.objects.get(guardian=olek)
        self.assertEqual(
            (link.relation, link.parental_authority, link.lives_with), ("father", True, False)
        )
        fleur = Pupil.objects.get(first_name="Fleur")
        self.assertEqual(fleur.last_name_prefix, "de")
        self.assertEqual(Guardian.objects.get(first_name="Kees").postcode, "3012 BB")

    def test_direction_controls_never_reach_a_name(self):
        text = UTF8_BOM.decode("utf-8-sig").replace("Fleur", "Fl\u202eeur")
        self.run_import(text.encode())
        self.assertTrue(Pupil.objects.filter(first_name="Fleur").exists())

    def test_a_parent_losing_authority_takes_effect(self):
        self.run_import()
        text = CP1252.decode("cp1252").replace("Vader;ja;nee", "Vader;nee;nee")
        plan = self.run_import(text.encode("cp1252"))
        self.assertEqual(plan.counts["authority_ended"], 1)
        self.assertFalse(Guardianship.objects.get(guardian__first_name="Olek").parental_authority)
        self.assertEqual(
            Guardian.objects.with_authority(
                family=Pupil.objects.get(first_name="Zoë").family
            ).count(),
            1,
        )

    def test_it_marks_a_leaver(self):
        self.run_import()
        lines = CP1252.split(b"\r\n")
        self.run_import(b"\r\n".join(line for line in lines if not line.startswith(b"5003")))
        self.assertEqual(Pupil.objects.get(first_name="Fleur").left_on, TODAY)

    def test_it_uses_the_mapping_saved_for_the_school(self):
        admin = make_user("beheer", school=self.school)
        actions.save_mapping(admin, self.school, DEFAULT_MAPPING.replace('"Klas"', '"Groep"'))
        data = CP1252.replace(b";Klas;", b";Groep;")
        self.run_import(data)
        self.assertEqual(Pupil.objects.get(first_name="Zoë").group.name, "2B")
        with self.assertRaises(MappingError):
            actions.save_mapping(admin, self.school, "[pupil\nid=")

    def assert_refused(self, data: bytes, expected: str):
        with self.assertRaises(RosterError) as caught:
            self.run_import(data)
        self.assertIn(expected, "\n".join(str(p) for p in caught.exception.problems))
        self.assertFalse(Pupil.objects.exists())

    def test_it_refuses_a_missing_column(self):
        self.assert_refused(
            CP1252.replace(b"Geboortedatum", b"Geb.datum"),
            "export.csv, line 1: the column “Geboortedatum” is missing",
        )

    def test_it_refuses_a_bad_date(self):
        self.assert_refused(
            CP1252.replace(b"03-09-2013", b"31-02-2013"),
            "export.csv, line 3: the date of birth “31-02-2013” is not a date",
        )

    def test_it_refuses_duplicate_ids(self):
        self.assert_refused(
            CP1252.replace(b"\r\n5003;", b"\r\n5001;"),
            "export.csv, line 4: the id “5001” is used twice (also on line 2)",
        )

    def test_it_refuses_a_file_in_neither_utf8_nor_windows_1252(self):
        self.assert_refused(
            CP1252.replace(b"Fleur", b"Fl\x81ur"), "export.csv, line 4: this line is neither"
        )
        self.assert_refused(
            "Leerlingnummer;Roepnaam\r\n".encode("utf-16"),
            "export.csv, line 1: the file is in UTF-16",
        )
