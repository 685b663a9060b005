"""Texts of the parent's invitation page and email in eight languages (parent_texts.toml)."""

from __future__ import annotations

from pathlib import Path

from django.utils import formats, timezone, translation

from bondgenoot.lib.texts import load

FILE = Path(__file__).with_name("parent_texts.toml")
# On the pupil's own invitation page these texts replace the parent's (key "pupil_<key>").
PUPIL_KEYS = ("title", "intro", "thanks_no", "your_question")


def _all() -> dict:
    return load(FILE)


def texts(language: str) -> dict:
    data = _all()
    return data.get(language) or data["nl"]


def language_for(code: str | None) -> str:
    return code if code and code in _all() else "nl"


def when(discussion, language: str = "nl") -> str:
    code = language if language in ("nl", "en") else "nl"
    with translation.override(code):
        start = timezone.localtime(discussion.starts_at)
        return f"{formats.date_format(start, 'l j F Y')}, {formats.time_format(start, 'H:i')}"
