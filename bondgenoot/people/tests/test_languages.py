import importlib

from django.test import TestCase

from bondgenoot.people.languages import LANGUAGES, is_rtl, language_name
from bondgenoot.people.models import Language


class LanguagesTest(TestCase):
    def test_it_has_a_row_for_every_known_code(self):
        self.assertEqual(set(Language.objects.values_list("code", flat=True)), set(LANGUAGES))
        migration = importlib.import_module("bondgenoot.people.migrations.0002_languages")
        self.assertEqual(set(migration.CODES), set(LANGUAGES))

    def test_it_names_languages_and_knows_their_direction(self):
        self.assertEqual(language_name("tr"), "Turks")
        self.assertTrue(is_rtl("ar"))
        self.assertFalse(is_rtl("zgh"))
        self.assertEqual(language_name("xx"), "xx")
