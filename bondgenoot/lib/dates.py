"""Dates and times written out in a parent's language (Babel's CLDR data).

Django's own formats cover the interface languages (Dutch and English); messages go out
in eight languages, so a Polish parent reads "5 marca 2026 (czwartek), 19:30" and a
Tigrinya parent the Ge'ez month names, never the Dutch "donderdag 5 maart". CLDR (as
shipped with Babel 2.19) has month and day names for all eight family languages,
Somali ("Khamiis, Maarso 5, 2026") and Tigrinya ("ሓሙስ፣ 5 መጋቢት 2026") included. A
language it does not know gets a numeric date ("05-03-2026") and a 24-hour time:
no Dutch words for a reader of another language.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import date, datetime, time

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from babel.lists import format_list
from babel.numbers import format_decimal
from django.utils import timezone, translation
from django.utils.dates import MONTHS, MONTHS_3

FALLBACK = "nl"


def _known(language: str) -> bool:
    try:
        Locale.parse(language)
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


def _locale(language: str) -> str:
    return language if _known(language) else FALLBACK


# Languages whose full date ("czwartek, 5 marca 2026") cannot stand in a sentence: the
# weekday would need a preposition and a case ("w czwartek", "у четвер"). Their messages
# get the date with the weekday after it in brackets, which reads right anywhere.
WEEKDAY_AFTER = {"pl", "uk"}


def written_date(value: date, language: str, *, weekday: bool = True) -> str:
    """ "donderdag 5 maart 2026", "5 Mart 2026 Perşembe", "5 marca 2026 (czwartek)";
    "05-03-2026" in a language CLDR does not know."""
    if not _known(language):
        return value.strftime("%d-%m-%Y")
    if weekday and language in WEEKDAY_AFTER:
        day = format_date(value, format="long", locale=language)
        return f"{day} ({format_date(value, format='cccc', locale=language)})"
    return format_date(value, format="full" if weekday else "long", locale=language)


def written_time(value: time | datetime, language: str) -> str:
    """ "19:30" in most languages, "7:30 PM" in English, with the language's own digits
    and day-period words where CLDR has them; "19:30" in a language it does not know."""
    if not _known(language):
        return value.strftime("%H:%M")
    return format_time(value, format="short", locale=language)


def _day_and_time(day: str, time_text: str, language: str) -> str:
    """A day and a time joined the language's way: "donderdag 5 maart 2026, 19:30",
    "الخميس، 5 مارس 2026، 7:30 م" (the Arabic comma), "5 Mart 2026 Perşembe 19:30"."""
    pattern = str(Locale.parse(language).datetime_formats["medium"]) if _known(language) else ""
    if "{0}" not in pattern or "{1}" not in pattern:
        pattern = "{1}, {0}"
    if pattern == "{1} {0}" and day[-1:].isdigit() and time_text[:1].isdigit():
        # "Maarso 5, 2026 7:30": the year would run into the time; a comma parts them.
        pattern = "{1}፣ {0}" if language == "ti" else "{1}, {0}"
    return pattern.replace("{1}", day).replace("{0}", time_text)


def written_when(start: datetime, end: datetime | None, language: str) -> str:
    """A meeting's day and time span: "donderdag 5 maart 2026, 19:30–21:00"."""
    span = written_time(start, language)
    if end is not None:
        span += f"–{written_time(end, language)}"
    return _day_and_time(written_date(start.date(), language), span, language)


def written_number(value: int, language: str) -> str:
    """ "2.000" in Dutch, "2,000" in English, "2 000" in Polish (CLDR's grouping)."""
    return format_decimal(value, locale=_locale(language))


def written_list(items: list[str], language: str) -> str:
    """ "Ali en Sara", "Ali i Sara", "Ali ve Sara": the language's own "and"."""
    return format_list(items, locale=_locale(language))


def fill_dates(values: dict[str, str], language: str, *, own_time: bool = False) -> dict[str, str]:
    """Message values with ``date`` (ISO "2026-03-12") and ``time`` ("15:30") written out
    in ``language``; any other value, or a date typed as free text, stays as it is.

    A text with its own ``{time}`` (``own_time``) gets the day in ``{date}`` and the time
    in ``{time}``, so it can propose a moment and ask about it in separate sentences;
    otherwise the time, if any, follows the day in ``{date}``."""
    result = dict(values)
    raw_date, raw_time = values.get("date"), values.get("time")
    try:
        day = date.fromisoformat(raw_date) if raw_date else None
    except (TypeError, ValueError):
        return result
    if day is None:
        return result
    text = written_date(day, language)
    written = ""
    if raw_time:
        with suppress(ValueError):
            written = written_time(time.fromisoformat(raw_time), language)
    if own_time:
        result["time"] = written
    else:
        text = _day_and_time(text, written, language) if written else text
        result.pop("time", None)
    result["date"] = text
    return result


# --- short dates in the interface (Dutch and English; Django's formats) --------------------


def short_month() -> str:
    # "b" is the lower-case abbreviation ("mrt"), "M" the capitalised one ("Mar").
    return "b" if translation.get_language() == "nl" else "M"


# Month names per language, as Django's date formats write them: "b" lower case ("mrt"),
# "M" capitalised ("Mrt", "Mar"), "F" in full ("maart"). Made once per language: going
# through ``formats.date_format`` costs about 50 Python calls a date (it looks the format
# string up in every format module, as it is no setting's name), and a chronology writes
# about a hundred. ``core/tests/test_short_dates.py`` holds both equal.
_MONTH_NAMES: dict[tuple[str | None, str], tuple[str, ...]] = {}


def _month_name(month: int, kind: str) -> str:
    key = (translation.get_language(), kind)
    names = _MONTH_NAMES.get(key)
    if names is None:
        table = MONTHS if kind == "F" else MONTHS_3
        written = [str(table[m]) for m in range(1, 13)]
        names = _MONTH_NAMES[key] = ("", *(w.title() if kind == "M" else w for w in written))
    return names[month]


def month_label(day: date, long: bool = False) -> str:
    """What ``date_format`` writes for the month alone (``short_month()``), or with
    ``long`` for "F Y" (the month in full and the year)."""
    if long:
        return f"{_month_name(day.month, 'F')} {day.year:04d}"
    return _month_name(day.month, short_month())


def short_date(value: date | datetime | None, arg: str = "") -> str:
    """What Django's ``date_format`` writes for "j b", "j M" or "j F", with " Y" and
    " H:i" where asked, written here directly."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        day = value.date()
    else:
        day = value
    text = f"{day.day} {_month_name(day.month, 'F' if arg == 'long' else short_month())}"
    if arg == "year" or day.year != timezone.localdate().year:
        text += f" {day.year:04d}"
    if arg == "time" and isinstance(value, datetime):
        text += f" {value.hour:02d}:{value.minute:02d}"
    return text
