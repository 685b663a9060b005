"""The template library: messages in Dutch, English and six home languages.

Templates are data (``message_templates.toml``), reviewed like the advice texts. Every
translation has a review status: ``reviewed`` (by a native speaker, who is named) or
``draft``; staff see it before they send.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
    reviewer: str
    subject: str
    body: str

    @property
    def reviewed(self) -> bool:
        return self.status == "reviewed"


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


@cache
def templates() -> dict[str, Template]:
    data = load(FILE)
    result = {}
    for row in data["template"]:
        texts = {
            lang: Text(
                lang,
                t.get("status", "draft"),
                t.get("reviewer", ""),
                t["subject"].strip(),
                t["body"].strip(),
            )
            for lang, t in row["texts"].items()
        }
        result[row["key"]] = Template(
            row["key"], row["purpose"], row["name_nl"], row["name_en"], texts
        )
    return result


def reply_texts(language: str) -> dict:
    """The answer page's texts in the guardian's language (Dutch when there are none)."""
    pages = load(FILE)["reply_page"]
    return pages.get(language) or pages["nl"]
