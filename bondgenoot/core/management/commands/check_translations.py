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
        self.check_parent_texts()

    def check_parent_texts(self):
        """The parent pages' texts (portal_texts.toml): every family language has every
        key of Dutch, with the same placeholders, and a review status."""
        from bondgenoot.lib.texts import placeholders
        from bondgenoot.portal import texts

        def flat(table, prefix=""):
            for key, value in table.items():
                if isinstance(value, dict):
                    yield from flat(value, f"{prefix}{key}.")
                else:
                    yield f"{prefix}{key}", value

        data = texts._all()
        dutch = dict(flat(data["nl"]))
        problems = []
        for code in texts.PARENT_LANGUAGES:
            table = dict(flat(data.get(code, {})))
            if table.get("status") not in ("draft", "reviewed"):
                problems.append(f"{code}: status must be 'draft' or 'reviewed'")
            for key, text in dutch.items():
                empty = key != "reviewer" and not str(table.get(key, "")).strip()
                if key not in table or empty:
                    problems.append(f"{code}: {key} is missing")
                elif placeholders(str(table[key])) != placeholders(str(text)):
                    problems.append(f"{code}: {key} has other placeholders than Dutch")
            problems += [f"{code}: {key} is not in Dutch" for key in table if key not in dutch]
        for problem in problems:
            self.stderr.write(f"  {problem}")
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in portal/portal_texts.toml.")
        self.stdout.write(
            f"OK: the parent pages' {len(dutch)} texts are complete in "
            f"{len(texts.PARENT_LANGUAGES)} languages."
        )
