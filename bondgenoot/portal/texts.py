"""The portal's texts in the eight family languages (data: portal_texts.toml), and dates
and numbers written the way each language writes them (Babel's CLDR data, which also
knows Somali and Tigrinya; Django's own formats do not)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from django.utils import timezone

from bondgenoot.lib.texts import load
from bondgenoot.people.languages import FAMILY_LANGUAGES, LANGUAGES, is_rtl

FILE = Path(__file__).with_name("portal_texts.toml")
# The family languages every parent page speaks, in the order of the language picker.
PARENT_LANGUAGES = FAMILY_LANGUAGES
DEFAULT = "nl"


def _all() -> dict:
    return load(FILE)


def texts(language: str) -> dict:
    data = _all()
    return data.get(language) or data[DEFAULT]


def supported(language: str | None) -> str:
    """The language itself when the portal speaks it, else Dutch."""
    return language if language in PARENT_LANGUAGES else DEFAULT


def choices(offered: list[str] | None = None) -> list[dict]:
    """The language picker: each language by its own name (what a parent recognises);
    only those in ``offered`` when given."""
    return [
        {"code": code, "endonym": LANGUAGES[code][1], "rtl": is_rtl(code)}
        for code in PARENT_LANGUAGES
        if offered is None or code in offered
    ]


def review_status() -> list[dict]:
    """Per language: its review status and reviewer (shown to staff)."""
    data = _all()
    return [
        {
            "code": code,
            "endonym": LANGUAGES[code][1],
            "reviewed": data[code].get("status") == "reviewed",
            "reviewer": data[code].get("reviewer", ""),
        }
        for code in PARENT_LANGUAGES
    ]


def label(t: dict, table: str, value: str) -> str:
    """An enum value's name in the parent's language (the stored value as a fallback)."""
    return t.get(table, {}).get(value, value)


def _parsed(value: date | datetime | str | None) -> date | datetime | None:
    """An ISO date or moment ("2026-03-05", "2026-03-05T19:30:00+01:00", as the export's
    JSON holds them) as a date or datetime; dates and datetimes as they are."""
    if not isinstance(value, str):
        return value
    if not value:
        return None
    return date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)


def day(value: date | datetime | str | None, language: str) -> str:
    value = _parsed(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return format_date(value, format="long", locale=supported(language))


def moment(value: datetime | str | None, language: str) -> str:
    parsed = _parsed(value)
    if parsed is None:
        return ""
    if not isinstance(parsed, datetime):
        return day(parsed, language)
    return format_datetime(timezone.localtime(parsed), format="medium", locale=supported(language))


def number(value: int | float, language: str) -> str:
    return format_decimal(value, locale=supported(language))
