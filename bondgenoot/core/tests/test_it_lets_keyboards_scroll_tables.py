"""A table that may scroll sideways (``.table-wrap``) is a named, focusable region, so a
keyboard user can scroll it and a screen reader names it (WCAG 2.1.1, axe's
scrollable-region-focusable only sees tables that overflow in the test's viewport)."""

import re
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[3]
WRAP = re.compile(r"<div[^>]*class=\"table-wrap\"[^>]*>")


class ScrollingTablesTest(SimpleTestCase):
    def test_every_table_wrap_is_a_named_focusable_region(self):
        templates = [
            *ROOT.glob("bondgenoot/**/templates/**/*.html"),
            *ROOT.glob("templates/**/*.html"),
        ]
        found = 0
        for path in templates:
            for tag in WRAP.findall(path.read_text()):
                found += 1
                with self.subTest(template=str(path.relative_to(ROOT)), tag=tag):
                    self.assertIn('role="region"', tag)
                    self.assertIn('tabindex="0"', tag)
                    self.assertRegex(tag, r"aria-label(ledby)?=")
        self.assertGreater(found, 5)  # the check sees the tables
