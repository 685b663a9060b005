"""Arrows point one way: the base app never imports the apps above it (they register
panels in ``people.panels`` instead; seeding runs from ``bondgenoot/seeding.py``)."""

import re
from pathlib import Path

from django.test import SimpleTestCase

PEOPLE = Path(__file__).resolve().parent.parent
ABOVE = re.compile(
    r"^\s*(from|import)\s+bondgenoot\.(contacts|approach|bridges|meetings|messaging|network)\b",
    re.MULTILINE,
)


class ImportDirectionTest(SimpleTestCase):
    def test_it_finds_no_import_of_an_app_above_people(self):
        offenders = [
            str(path.relative_to(PEOPLE))
            for path in PEOPLE.rglob("*.py")
            if "tests" not in path.parts and ABOVE.search(path.read_text())
        ]
        self.assertEqual(offenders, [])
