"""Short dates as a Dutch reader expects them.

``{{ value|day }}`` writes "3 mrt" (Dutch month abbreviations are lower case; Django's
``M`` capitalises them to "Mrt") or "3 Mar" in English, and adds the year when it is not
this year ("3 mrt 2025"), so an overdue action from last year does not look recent.
``{{ value|day:"year" }}`` always adds the year, ``{{ value|day:"time" }}`` the time and
``{{ value|day:"long" }}`` writes the month in full ("3 maart", "3 maart 2025").
"""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import formats, timezone, translation

register = template.Library()


def short_month() -> str:
    # "b" is the lower-case abbreviation ("mrt"), "M" the capitalised one ("Mar").
    return "b" if translation.get_language() == "nl" else "M"


def short_date(value: date | datetime | None, arg: str = "") -> str:
    if not value:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        day = value.date()
    else:
        day = value
    fmt = "j F" if arg == "long" else f"j {short_month()}"
    if arg == "year" or day.year != timezone.localdate().year:
        fmt += " Y"
    if arg == "time" and isinstance(value, datetime):
        fmt += " H:i"
    return formats.date_format(value, fmt)


register.filter("day", short_date)
