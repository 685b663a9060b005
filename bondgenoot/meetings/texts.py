"""Texts of the invitation page and messages in eight languages (data: meeting_texts.toml)."""

from __future__ import annotations

from pathlib import Path

from bondgenoot.lib.dates import written_when
from bondgenoot.lib.texts import fill, load
from bondgenoot.people.languages import is_rtl

FILE = Path(__file__).with_name("meeting_texts.toml")


def _all() -> dict:
    return load(FILE)


def texts(language: str) -> dict:
    data = _all()
    return data.get(language) or data["nl"]


def has_language(language: str) -> bool:
    return language in _all()


def when(meeting, language: str) -> str:
    """The date and time written out in the parent's language (Babel), e.g. "5 marca
    5 marca 2026, 19:30–21:00" in Polish; Dutch for a language Babel does not know."""
    from django.utils import timezone

    start = timezone.localtime(meeting.starts_at)
    end = timezone.localtime(meeting.ends_at)
    return written_when(start, end, language)


def message(language: str, key: str, values: dict[str, str]) -> tuple[str, str]:
    """(subject, body) of the invitation, reminder, … ``key`` in ``language`` (a language
    without texts has Dutch). In a right-to-left language each value (a Dutch title, a
    place, a link) is isolated (U+2068 … U+2069) so it keeps its own direction."""
    t = texts(language)
    rtl = is_rtl(language) and has_language(language)
    return (
        fill(t[f"{key}_subject"], values, isolate=rtl)[:200],
        fill(t[f"{key}_body"], values, isolate=rtl),
    )
