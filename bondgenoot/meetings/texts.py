"""Texts of the invitation page and messages in eight languages (data: meeting_texts.toml)."""

from __future__ import annotations

from pathlib import Path

from bondgenoot.lib.dates import written_when
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
    """The date and time written out in the parent's language (Babel), e.g. "czwartek,
    5 marca 2026, 19:30–21:00" in Polish; Dutch for a language Babel does not know."""
    from django.utils import timezone

    start = timezone.localtime(meeting.starts_at)
    end = timezone.localtime(meeting.ends_at)
    return written_when(start, end, language)
