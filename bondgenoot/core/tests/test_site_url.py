"""SITE_URL: links parents get start with the address the app is served at."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[3]


def settings_with(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "DEBUG"}}
    clean.pop("BONDGENOOT_ALLOW_DEV_SECRET", None)
    return subprocess.run(
        [sys.executable, "-c", "from bondgenoot import settings; print(settings.SITE_URL)"],
        cwd=ROOT,
        env={**clean, "SECRET_KEY": "test-only", **env},
        capture_output=True,
        text=True,
    )


class SiteUrlTestCase(SimpleTestCase):
    def test_it_refuses_to_start_in_production_without_it(self):
        result = settings_with(DEBUG="0")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SITE_URL is not set", result.stderr)

    def test_it_uses_the_address_it_is_given(self):
        result = settings_with(DEBUG="0", SITE_URL="https://ouders.school.nl/")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), "https://ouders.school.nl")

    def test_it_refuses_an_address_without_a_scheme(self):
        result = settings_with(DEBUG="1", SITE_URL="ouders.school.nl")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SITE_URL must be an address", result.stderr)

    def test_it_defaults_to_the_development_server_in_development(self):
        result = settings_with(DEBUG="1")
        self.assertEqual(result.stdout.strip(), "http://127.0.0.1:8000")

    def test_make_run_passes_its_address_on(self):
        makefile = (ROOT / "Makefile").read_text()
        self.assertIn("SITE_URL ?= http://$(ADDR)", makefile)
        self.assertIn("SITE_URL=$(SITE_URL) $(PY) manage.py runserver $(ADDR)", makefile)
        self.assertIn("SITE_URL=$(SITE_URL) $(PY) manage.py db_worker", makefile)
