"""Texts of the invitation page and messages in eight languages (data: meeting_texts.toml)."""

from __future__ import annotations

from pathlib import Path

from django.utils import formats, translation

from bondgenoot.lib.texts import load

FILE = Path(__file__).with_name("meeting_texts.toml")


def _all() -> dict:
    return load(FILE)


def texts(language: str) -> dict:
    data = _all()
    return data.get(language) or data["nl"]


def has_language(language: str) -> bool:
    return language in _all()


def when(meeting, language: str) -> str:
    """The date and time written out in the language (Dutch formats for the others)."""
    code = language if language in ("nl", "en") else "nl"
    with translation.override(code):
        from django.utils import timezone

        start = timezone.localtime(meeting.starts_at)
        end = timezone.localtime(meeting.ends_at)
        return (
            f"{formats.date_format(start, 'l j F Y')}, "
            f"{formats.time_format(start, 'H:i')}–{formats.time_format(end, 'H:i')}"
        )
