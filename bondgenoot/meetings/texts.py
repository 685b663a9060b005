"""Texts of the invitation page and messages in eight languages (data: meeting_texts.toml)."""

from __future__ import annotations

from pathlib import Path

from bondgenoot.lib.texts import load
from bondgenoot.people.languages import FAMILY_LANGUAGES

FILE = Path(__file__).with_name("meeting_texts.toml")


def _all() -> dict:
    return load(FILE)


def texts(language: str) -> dict:
    data = _all()
    return data.get(language) or data["nl"]


def has_language(language: str) -> bool:
    return language in _all()


def when(meeting, language: str) -> str:
    """The date and time written out the way the language writes them (Babel's CLDR
    data knows all eight family languages; Dutch for any other)."""
    from babel.dates import format_date, format_time
    from django.utils import timezone

    code = language if language in FAMILY_LANGUAGES else "nl"
    start = timezone.localtime(meeting.starts_at)
    end = timezone.localtime(meeting.ends_at)
    return (
        f"{format_date(start, 'full', locale=code)}, "
        f"{format_time(start, 'HH:mm', locale=code)}–{format_time(end, 'HH:mm', locale=code)}"
    )
