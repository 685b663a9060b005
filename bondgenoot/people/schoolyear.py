"""The Dutch school year runs from 1 August to 31 July."""

from datetime import date

from django.utils import timezone


def current_school_year(today: date | None = None) -> int:
    today = today or timezone.localdate()
    return today.year if today.month >= 8 else today.year - 1


def school_year_start(year: int) -> date:
    return date(year, 8, 1)
