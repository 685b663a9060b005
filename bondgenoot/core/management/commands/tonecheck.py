"""Check Dutch text for tone and plain language: ``manage.py tonecheck [--json] < text``."""

import json
import sys

from django.core.management.base import BaseCommand

from bondgenoot.lib.tonecoach import check

VERDICTS = {
    "good": "B1 or easier, nothing left to look at",
    "findings": "easy to read, but findings remain",
    "hard": "harder than B1",
}


class Command(BaseCommand):
    help = "Read Dutch text on stdin and print the tone coach's findings (exits 0)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args, **options):
        text = sys.stdin.read()
        report = check(text)
        if options["json"]:
            data = report.as_json()
            # The shape promised on the command line: kind, start, end, text, suggestion.
            data["findings"] = [
                {k: f[k] for k in ("kind", "start", "end", "text", "suggestion")}
                for f in data["findings"]
            ]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for f in report.findings:
            self.stdout.write(f"{f.kind:14} {f.start:5}-{f.end:<5} {f.text!r}")
            self.stdout.write(f"{'':14} {f.explanation} {f.suggestion}")
            if f.example:
                self.stdout.write(f"{'':14} Example: {f.example}")
        if not report.findings:
            self.stdout.write("No findings.")
        self.stdout.write(
            f"Readability (Flesch-Douma): {report.flesch_douma}, difficulty"
            f" {report.difficulty} (level {report.difficulty_level}) — about {report.level or '?'}"
            f" ({VERDICTS[report.verdict]})"
        )
        if report.markers:
            kinds = sorted({m.kind for m in report.markers})
            self.stdout.write("Positive: " + ", ".join(kinds))
