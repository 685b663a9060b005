"""Fail when interface text is not (or no longer correctly) translated into Dutch.

1. Run ``makemessages`` on a copy of the Dutch catalogue and report every message
   that has no Dutch translation or is marked fuzzy.
2. Compile the catalogue and compare it with the committed ``django.mo``, so that
   a forgotten ``compilemessages`` is caught too.

The working tree is left as it was.
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from bondgenoot.lib.pofile import read_mo, read_po

IGNORE = [".venv", ".venv/*", "build/*", "var/*", "node_modules/*"]


class Command(BaseCommand):
    help = "Check that every interface string has a Dutch translation."

    def handle(self, *args, **options):
        locale_dir = Path(settings.BASE_DIR) / "locale" / "nl" / "LC_MESSAGES"
        po_path = locale_dir / "django.po"
        mo_path = locale_dir / "django.mo"
        if not po_path.exists():
            raise CommandError(f"{po_path} is missing. Run `make messages` and translate.")
        original = po_path.read_bytes()
        try:
            call_command(
                "makemessages",
                locale=["nl"],
                ignore_patterns=IGNORE,
                no_obsolete=True,
                no_location=True,
                verbosity=0,
            )
            entries = read_po(po_path)
        finally:
            po_path.write_bytes(original)
        problems = [e for e in entries if not e.translated or e.fuzzy]
        for entry in problems:
            state = "fuzzy" if entry.fuzzy else "not translated"
            self.stderr.write(f"  {state}: {entry.msgid!r}")
        if problems:
            raise CommandError(
                f"{len(problems)} interface text(s) lack a Dutch translation. Run `make messages`, "
                "translate them in locale/nl/LC_MESSAGES/django.po and run `make messages` again."
            )
        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / "django.mo"
            shutil.copy(po_path, Path(tmp) / "django.po")
            subprocess.run(
                ["msgfmt", "--check-format", "-o", str(fresh), str(Path(tmp) / "django.po")],
                check=True,
            )
            if not mo_path.exists() or read_mo(fresh) != read_mo(mo_path):
                raise CommandError(
                    "locale/nl/LC_MESSAGES/django.mo is out of date. Run `make messages`."
                )
        self.stdout.write(f"OK: all {len(entries)} interface texts have a Dutch translation.")
