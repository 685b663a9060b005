"""Keeping ``FamilySummary`` and ``FamilyYearSummary`` in step with the ledger.

``summarize`` is a pure function from one family's contacts to its summary values; the
write path (``refresh``, called by every action that changes contacts) and the seeder
both use it. Reads never compute it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypedDict

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bondgenoot.people.channels import PERSONAL_CHANNELS, WRITTEN_CHANNELS
from bondgenoot.people.models import Family
from bondgenoot.people.schoolyear import current_school_year

from .models import (
    Contact,
    FamilyMonthSummary,
    FamilySummary,
    FamilyYearSummary,
    Purpose,
    SchoolLedgerVersion,
    Tone,
)

FIELDS = ("at", "channel", "purpose", "tone", "reached", "dialogue", "bulk")


@dataclass(frozen=True)
class Row:
    at: datetime
    channel: str
    purpose: str
    tone: str
    reached: bool
    dialogue: bool
    bulk: bool

    @property
    def positive_personal(self) -> bool:
        return (
            self.tone == Tone.POSITIVE
            and self.reached
            and not self.bulk
            and self.channel in PERSONAL_CHANNELS
        )

    @property
    def worry(self) -> bool:
        return self.purpose == Purpose.WORRY or self.tone == Tone.CONCERN


def ends_unreached_streak(reached: bool, dialogue: bool) -> bool:
    """The one definition of "we reached the family" for unreached streaks, used by the
    indicator (here) and by the advisor's "absent" suggestion: a conversation in both
    directions. A message or letter that went one way does not tell us they read it, so
    it neither ends a streak nor counts as an attempt that failed."""
    return reached and dialogue


def is_unreached_attempt(reached: bool, bulk: bool) -> bool:
    """An attempt that did not reach the family (bulk messages are not attempts)."""
    return not reached and not bulk


def school_year_of(moment: datetime) -> int:
    return current_school_year(timezone.localdate(moment))


class SummaryFields(TypedDict):
    """A ``FamilySummary``'s fields."""

    first_contact_at: datetime | None
    first_worry_at: datetime | None
    last_positive_personal_at: datetime | None
    last_reached_at: datetime | None
    last_dialogue_at: datetime | None
    last_one_way_at: datetime | None
    positive_before_worry: int
    unreached_streak: int
    unreached_channels: list[str]


class YearFields(TypedDict):
    """A ``FamilyYearSummary``'s fields."""

    first_positive_personal_at: datetime | None
    last_dialogue_at: datetime | None


def summarize(
    rows: Iterable[Row],
) -> tuple[SummaryFields, dict[int, YearFields], dict[date, dict[str, int]]]:
    """(summary fields, {school year: fields}, {month: fields}) for one family's contacts.
    A month's fields are the counts per tone and ``reached`` (a bool)."""
    rows = sorted(rows, key=lambda r: r.at)
    summary: SummaryFields = {
        "first_contact_at": rows[0].at if rows else None,
        "first_worry_at": None,
        "last_positive_personal_at": None,
        "last_reached_at": None,
        "last_dialogue_at": None,
        "last_one_way_at": None,
        "positive_before_worry": 0,
        "unreached_streak": 0,
        "unreached_channels": [],
    }
    years: dict[int, YearFields] = defaultdict(
        lambda: {"first_positive_personal_at": None, "last_dialogue_at": None}
    )
    months: dict[date, dict[str, int]] = defaultdict(
        lambda: {"positive": 0, "neutral": 0, "concern": 0, "reached": False}
    )
    for row in rows:
        year = years[school_year_of(row.at)]
        month = months[timezone.localdate(row.at).replace(day=1)]
        month[row.tone] += 1
        if row.reached and not row.bulk:
            month["reached"] = True
        if row.worry and summary["first_worry_at"] is None:
            summary["first_worry_at"] = row.at
        if row.positive_personal:
            summary["last_positive_personal_at"] = row.at
            if summary["first_worry_at"] is None:
                summary["positive_before_worry"] += 1
            if year["first_positive_personal_at"] is None:
                year["first_positive_personal_at"] = row.at
        if ends_unreached_streak(row.reached, row.dialogue):
            summary["last_dialogue_at"] = row.at
            year["last_dialogue_at"] = row.at
        if row.channel in WRITTEN_CHANNELS and not row.dialogue:
            summary["last_one_way_at"] = row.at
        if row.bulk:
            continue
        if row.reached:
            summary["last_reached_at"] = row.at
        if ends_unreached_streak(row.reached, row.dialogue):
            summary["unreached_streak"] = 0
            summary["unreached_channels"] = []
        elif is_unreached_attempt(row.reached, row.bulk):
            summary["unreached_streak"] += 1
            if row.channel not in summary["unreached_channels"]:
                summary["unreached_channels"].append(row.channel)
    return summary, dict(years), dict(months)


SUMMARY_COLUMNS = tuple(SummaryFields.__annotations__)
YEAR_COLUMNS = tuple(YearFields.__annotations__)
MONTH_COLUMNS = ("positive", "neutral", "concern", "reached")


def _row(values: Mapping[str, object], columns: tuple[str, ...]) -> tuple[object, ...]:
    return tuple(values[c] for c in columns)


@transaction.atomic
def refresh(family_ids: Iterable) -> None:
    """Recompute the summaries of these families from their contacts. Only rows whose
    values changed are written (deleted and inserted again): a new contact changes the
    family's summary and one month, not the months before it, so a bulk message to a
    whole school rewrites a row or two per family instead of its whole history."""
    family_ids = list(family_ids)
    by_family = defaultdict(list)
    for family_id, *values in Contact.objects.filter(family_id__in=family_ids).values_list(
        "family_id", *FIELDS
    ):
        by_family[family_id].append(Row(*values))
    old_summaries = {
        family_id: tuple(values)
        for family_id, *values in FamilySummary.objects.filter(
            family_id__in=family_ids
        ).values_list("family_id", *SUMMARY_COLUMNS)
    }
    old_years = {
        (family_id, year): (pk, tuple(values))
        for pk, family_id, year, *values in FamilyYearSummary.objects.filter(
            family_id__in=family_ids
        ).values_list("pk", "family_id", "school_year", *YEAR_COLUMNS)
    }
    old_months = {
        (family_id, month): (pk, tuple(values))
        for pk, family_id, month, *values in FamilyMonthSummary.objects.filter(
            family_id__in=family_ids
        ).values_list("pk", "family_id", "month", *MONTH_COLUMNS)
    }
    schools = dict(Family.objects.filter(pk__in=family_ids).values_list("pk", "school_id"))
    bump_versions(set(schools.values()))
    summaries, years, months = [], [], []
    stale_summaries, stale_years, stale_months = [], [], []
    for family_id in family_ids:
        summary, per_year, per_month = summarize(by_family.get(family_id, []))
        old = old_summaries.pop(family_id, None)
        if old != _row(summary, SUMMARY_COLUMNS):
            if old is not None:
                stale_summaries.append(family_id)
            summaries.append(
                FamilySummary(family_id=family_id, school_id=schools[family_id], **summary)
            )
        for y, year in per_year.items():
            pk, values = old_years.pop((family_id, y), (None, None))
            if values != _row(year, YEAR_COLUMNS):
                if pk is not None:
                    stale_years.append(pk)
                years.append(
                    FamilyYearSummary(
                        family_id=family_id, school_id=schools[family_id], school_year=y, **year
                    )
                )
        for m, v in per_month.items():
            pk, values = old_months.pop((family_id, m), (None, None))
            if values != _row(v, MONTH_COLUMNS):
                if pk is not None:
                    stale_months.append(pk)
                months.append(
                    FamilyMonthSummary(
                        family_id=family_id, school_id=schools[family_id], month=m, **v
                    )
                )
    # What is left of the old rows belongs to contacts that are gone (deleted, moved).
    stale_summaries += list(old_summaries)
    stale_years += [pk for pk, _values in old_years.values()]
    stale_months += [pk for pk, _values in old_months.values()]
    if stale_summaries:
        FamilySummary.objects.filter(pk__in=stale_summaries).delete()
    if stale_years:
        FamilyYearSummary.objects.filter(pk__in=stale_years).delete()
    if stale_months:
        FamilyMonthSummary.objects.filter(pk__in=stale_months).delete()
    FamilySummary.objects.bulk_create(summaries, batch_size=2000)
    FamilyYearSummary.objects.bulk_create(years, batch_size=2000)
    FamilyMonthSummary.objects.bulk_create(months, batch_size=2000)


def bump_versions(school_ids: set[int]) -> None:
    """Mark the schools' ledgers as changed (invalidates cached monitor figures)."""
    for school_id in school_ids:
        updated = SchoolLedgerVersion.objects.filter(school_id=school_id).update(
            version=F("version") + 1
        )
        if not updated:
            SchoolLedgerVersion.objects.get_or_create(school_id=school_id, defaults={"version": 1})


def versions(school_ids) -> tuple:
    return tuple(
        sorted(
            SchoolLedgerVersion.objects.filter(school_id__in=school_ids).values_list(
                "school_id", "version"
            )
        )
    )
