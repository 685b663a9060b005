"""``short_date`` (lib/dates.py, the ``|day`` filter) writes what Django's ``date_format``
writes for the same format, for every month, in Dutch and English, for dates and for
aware datetimes, this year and another year, with each of its arguments."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.test import SimpleTestCase
from django.utils import formats, timezone, translation

from bondgenoot.lib.dates import month_label, short_date, short_month


def django_short_date(value: date | datetime, arg: str = "") -> str:
    """The format ``short_date`` stands for, written by Django."""
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


class ShortDateTest(SimpleTestCase):
    def values(self):
        this_year = timezone.localdate().year
        for year in (this_year, this_year - 1, 987):
            for month in range(1, 13):
                day = date(year, month, 1 + (month * 3) % 28)
                yield day
                # 23:05 UTC is the next day in Amsterdam: the local day is written.
                yield datetime(year, month, day.day, 23, 5, tzinfo=timezone.UTC)
                yield datetime(year, month, day.day, 7, 9)  # naive: as it is
        yield timezone.now() - timedelta(days=1)

    def test_it_writes_what_djangos_date_format_writes(self):
        for language in ("nl", "en"):
            with translation.override(language):
                for value in self.values():
                    for arg in ("", "year", "long", "time"):
                        with self.subTest(language=language, value=value, arg=arg):
                            self.assertEqual(short_date(value, arg), django_short_date(value, arg))

    def test_it_writes_dutch_months_in_lower_case_and_english_ones_capitalised(self):
        day = date(2001, 3, 3)
        with translation.override("nl"):
            self.assertEqual(
                (short_date(day), short_date(day, "long")), ("3 mrt 2001", "3 maart 2001")
            )
        with translation.override("en"):
            self.assertEqual(
                (short_date(day), short_date(day, "long")), ("3 Mar 2001", "3 March 2001")
            )

    def test_it_writes_nothing_for_no_date(self):
        self.assertEqual((short_date(None), short_date(None, "year")), ("", ""))


class MonthLabelTest(SimpleTestCase):
    def test_it_writes_what_djangos_date_format_writes(self):
        for language in ("nl", "en"):
            with translation.override(language):
                for year in (2026, 987):
                    for month in range(1, 13):
                        day = date(year, month, 1)
                        with self.subTest(language=language, day=day):
                            self.assertEqual(
                                month_label(day), formats.date_format(day, short_month())
                            )
                            self.assertEqual(
                                month_label(day, long=True), formats.date_format(day, "F Y")
                            )
