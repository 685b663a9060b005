"""Arrows point one way (docs/architecture.md, "Layers"): no module imports an app of a
layer above its own. The base apps register panels in ``people.panels`` instead of
importing the apps above them; seeding runs from ``bondgenoot/seeding.py``; school
settings live with the school (``people.school_settings``).

The access policy is the exception by design: it knows the models of every app whose
records it guards, and no app's models import it back."""

import re
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[2]

DOMAIN = ("contacts", "approach", "bridges", "meetings", "messaging", "network", "cases")
TOP = ("administration", "portal", "parentvoice", "patterns", "roster")
# app (folder under bondgenoot/) -> the apps it must never import
NEVER = {
    "lib": ("people", "audit", "access", *DOMAIN, *TOP, "core", "accounts"),
    "people": (*DOMAIN, *TOP),
    "audit": (*DOMAIN, *TOP),
    **dict.fromkeys(DOMAIN, TOP),
}


def offenders(app: str, forbidden: tuple[str, ...]) -> list[str]:
    pattern = re.compile(
        r"^\s*(from|import)\s+bondgenoot\.(" + "|".join(forbidden) + r")\b", re.MULTILINE
    )
    folder = ROOT / app
    return [
        str(path.relative_to(ROOT))
        for path in sorted(folder.rglob("*.py"))
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and pattern.search(path.read_text())
    ]


class ImportDirectionTest(SimpleTestCase):
    def test_no_app_imports_an_app_above_its_layer(self):
        for app, forbidden in NEVER.items():
            with self.subTest(app=app):
                self.assertEqual(offenders(app, forbidden), [])

    def test_the_check_finds_an_upward_import(self):
        # Positive control: the rule would see the policy's (allowed) imports of the
        # portal if the policy were held to the domain's rule.
        self.assertTrue(offenders("access", ("portal", "parentvoice")))
