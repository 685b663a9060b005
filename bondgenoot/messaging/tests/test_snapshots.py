"""Every message as a parent reads it, in every family language, compared with snapshot
files a person read (``snapshots/README.md``): each template for a family with one child,
for a family with two children about one of them, and about both (the plural form); and
each meeting message. Arabic is the right-to-left language, the others left to right;
the isolates (U+2068, U+2069) are shown as <FSI> and <PDI> so a reader sees them.

A test fails when a rendered message differs from its snapshot. After changing a text on
purpose, write the snapshots again (``BONDGENOOT_WRITE_SNAPSHOTS=1 pytest <this file>``),
read the difference line by line (``git diff``) and note the review in the README."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from django.test import SimpleTestCase

from bondgenoot.lib.dates import written_when
from bondgenoot.lib.texts import FSI, PDI, PLACEHOLDER
from bondgenoot.meetings import texts as meeting_texts
from bondgenoot.messaging import library
from bondgenoot.messaging.delivery import render
from bondgenoot.messaging.models import Message

SNAPSHOTS = Path(__file__).with_name("snapshots")
WRITE = os.environ.get("BONDGENOOT_WRITE_SNAPSHOTS") == "1"

VALUES = {
    "mentor": "Anna de Vries",
    "school": "De Brug",
    "date": "2026-03-05",
    "theme": "Sociale media: wat doet uw kind online?",
}
# A time where the writer would give one: the proposed talk, the evening.
TIMES = {"invitation_talk": "15:30", "theme_evening": "19:30"}
# One family with one child; one with two, the message about the younger or about both.
CASES = (
    ("one child (Noor)", ["Noor"], ()),
    ("two children, about Sem (sister Lina not named)", ["Sem"], ("Lina",)),
    ("two children, about both (plural form)", ["Sem", "Lina"], ("Sem", "Lina")),
)
MEETING_KEYS = ("invite", "reminder", "thanks", "missed", "changed", "cancelled")
MEETING_VALUES = {
    "title": "Sociale media: wat doet uw kind online?",
    "where": "Aula, Schoolstraat 1",
    "link": "https://ouders.example.nl/u/abc123",
    "inviter": "Anna de Vries",
    "school": "De Brug",
}


def visible(text: str) -> str:
    return text.replace(FSI, "<FSI>").replace(PDI, "<PDI>")


def rendered(language: str) -> tuple[str, list[tuple[str, str, tuple[str, ...]]]]:
    """The snapshot text of ``language`` and each rendered (title, text, names it must
    not contain)."""
    pieces: list[tuple[str, str, tuple[str, ...]]] = []
    for template in library.templates().values():
        nl = template.texts["nl"]
        message = Message(
            template_key=template.key,
            translated=True,
            subject=nl.subject,
            body=nl.body,
            values={"date": VALUES["date"], "theme": VALUES["theme"]},
        )
        if template.key in TIMES:
            message.values["time"] = TIMES[template.key]
        uses_child = "child" in PLACEHOLDER.findall(nl.subject + nl.body)
        for case, children, absent in CASES if uses_child else CASES[:1]:
            values = {**VALUES, **message.values}
            used, subject, body = render(message, language, values, children)
            assert used == language, (template.key, language)
            title = f"{template.key} · {case}" if uses_child else template.key
            pieces.append((title, f"Subject: {subject}\n\n{body}", absent))
    start, end = datetime(2026, 3, 5, 19, 30), datetime(2026, 3, 5, 21, 0)
    values = {**MEETING_VALUES, "when": written_when(start, end, language)}
    for key in MEETING_KEYS:
        subject, body = meeting_texts.message(language, key, values)
        pieces.append((f"meeting · {key}", f"Subject: {subject}\n\n{body}", ()))
    text = "".join(f"=== {title} ===\n{visible(body)}\n\n" for title, body, _ in pieces)
    return text, pieces


class SnapshotTest(SimpleTestCase):
    def test_every_message_in_every_language_reads_as_reviewed(self):
        for language in library.LANGUAGES:
            with self.subTest(language=language):
                text, _ = rendered(language)
                path = SNAPSHOTS / f"{language}.txt"
                if WRITE:
                    path.write_text(text, encoding="utf-8")
                self.assertEqual(
                    text,
                    path.read_text(encoding="utf-8"),
                    f"{path.name} differs: read the change, then write the snapshots again",
                )

    def test_every_placeholder_is_filled_and_no_other_child_is_named(self):
        for language in library.LANGUAGES:
            _, pieces = rendered(language)
            for title, body, absent in pieces:
                with self.subTest(language=language, message=title):
                    self.assertEqual(PLACEHOLDER.findall(body), [], "a placeholder is left")
                    for name in absent:
                        self.assertNotIn(name, body)
                    self.assertNotIn(" & ", body)
                    # Isolates only in right-to-left text, and always in pairs.
                    if language == "ar":
                        self.assertGreater(body.count(FSI), 0)
                    else:
                        self.assertEqual(body.count(FSI), 0)
                    self.assertEqual(body.count(FSI), body.count(PDI))
