"""The template library: messages in Dutch, English and six home languages.

Templates are data (``message_templates.toml``), reviewed like the advice texts. Every
translation has a review status: ``reviewed`` or ``draft``, and for a reviewed one who
reviewed it (a description of the reviewer's role and languages, never a person's name)
and on which day; staff see it before they send.

A template about a child has a plural form in every language (``subject_plural``,
``body_plural``): it is used for a family when the message is about all of its children
(twins in one group, or the writer chose "all of them"), so no language has to join
names into a sentence written for one child.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

from bondgenoot.lib.texts import load

FILE = Path(__file__).with_name("message_templates.toml")
LANGUAGES = ("nl", "en", "ar", "tr", "pl", "uk", "so", "ti")


@dataclass(frozen=True)
class Text:
    language: str
    status: str
    reviewed_by: str
    reviewed_on: date | None
    subject: str
    body: str
    subject_plural: str = ""
    body_plural: str = ""
    note: str = ""  # what in the text is newer than its review, if anything

    @property
    def reviewed(self) -> bool:
        return self.status == "reviewed"

    def form(self, plural: bool) -> tuple[str, str]:
        """(subject, body): the plural form when asked for and there is one."""
        if plural and self.body_plural:
            return self.subject_plural, self.body_plural
        return self.subject, self.body


@dataclass(frozen=True)
class Template:
    key: str
    purpose: str
    name_nl: str
    name_en: str
    texts: dict[str, Text] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.name_nl if (get_language() or "nl").startswith("nl") else self.name_en

    def text(self, language: str) -> Text | None:
        return self.texts.get(language)

    @property
    def notes(self) -> list[str]:
        """The review notes of its texts, each once ("en, ar: …")."""
        by_note: dict[str, list[str]] = {}
        for text in self.texts.values():
            if text.note:
                by_note.setdefault(text.note, []).append(text.language)
        return [f"{', '.join(langs)}: {note}" for note, langs in by_note.items()]


@cache
def templates() -> dict[str, Template]:
    data = load(FILE)
    result = {}
    for row in data["template"]:
        texts = {
            lang: Text(
                lang,
                t.get("status", "draft"),
                t.get("reviewed_by", ""),
                t.get("reviewed_on"),
                t["subject"].strip(),
                t["body"].strip(),
                t.get("subject_plural", "").strip(),
                t.get("body_plural", "").strip(),
                t.get("note", ""),
            )
            for lang, t in row["texts"].items()
        }
        result[row["key"]] = Template(
            row["key"], row["purpose"], row["name_nl"], row["name_en"], texts
        )
    return result


@cache
def themes() -> dict[str, dict[str, str]]:
    """Themes with a name in every language: {"social_media": {"nl": …, "ar": …}}."""
    return dict(load(FILE)["themes"])


def theme_in(value: str, language: str) -> str:
    """A theme in ``language`` when the writer picked one from the list (its Dutch name,
    any capitals); anything else the writer typed stays as typed (Dutch)."""
    typed = value.strip().casefold()
    for names in themes().values():
        if names["nl"].casefold() == typed:
            return names.get(language) or names["nl"]
    return value


def reply_texts(language: str) -> dict:
    """The answer page's texts in the guardian's language (Dutch when there are none)."""
    pages = load(FILE)["reply_page"]
    return pages.get(language) or pages["nl"]
