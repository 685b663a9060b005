"""Keeping ``FamilySummary`` and ``FamilyYearSummary`` in step with the ledger.

``summarize`` is a pure function from one family's contacts to its summary values; the
write path (``refresh``, called by every action that changes contacts) and the seeder
both use it. Reads never compute it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
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
        if row.dialogue and row.reached:
            summary["last_dialogue_at"] = row.at
            year["last_dialogue_at"] = row.at
        if row.channel in WRITTEN_CHANNELS and not row.dialogue:
            summary["last_one_way_at"] = row.at
        if row.bulk:
            continue
        if row.reached:
            summary["last_reached_at"] = row.at
            summary["unreached_streak"] = 0
            summary["unreached_channels"] = []
        else:
            summary["unreached_streak"] += 1
            if row.channel not in summary["unreached_channels"]:
                summary["unreached_channels"].append(row.channel)
    return summary, dict(years), dict(months)


@transaction.atomic
def refresh(family_ids: Iterable) -> None:
    """Recompute the summaries of these families from their contacts."""
    family_ids = list(family_ids)
    by_family = defaultdict(list)
    for family_id, *values in Contact.objects.filter(family_id__in=family_ids).values_list(
        "family_id", *FIELDS
    ):
        by_family[family_id].append(Row(*values))
    FamilySummary.objects.filter(family_id__in=family_ids).delete()
    FamilyYearSummary.objects.filter(family_id__in=family_ids).delete()
    FamilyMonthSummary.objects.filter(family_id__in=family_ids).delete()
    schools = dict(Family.objects.filter(pk__in=family_ids).values_list("pk", "school_id"))
    bump_versions(set(schools.values()))
    summaries, years, months = [], [], []
    for family_id in family_ids:
        summary, per_year, per_month = summarize(by_family.get(family_id, []))
        summaries.append(FamilySummary(family_id=family_id, **summary))
        years += [
            FamilyYearSummary(family_id=family_id, school_year=y, **v) for y, v in per_year.items()
        ]
        months += [
            FamilyMonthSummary(family_id=family_id, school_id=schools[family_id], month=m, **v)
            for m, v in per_month.items()
        ]
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
