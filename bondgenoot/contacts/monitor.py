"""The trust monitor: per school and per mentor group, computed in the database.

All figures come from a fixed number of aggregate queries, whatever the number of
families or contacts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from bondgenoot.people.models import Guardianship, Pupil
from bondgenoot.people.schoolyear import school_year_start

from .indicators import (
    dialogue_exists,
    positive_personal_exists,
    positive_personal_filter,
    unreached_families,
)
from .models import Contact, Tone


def aware(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day))


@dataclass
class Period:
    school_year: int
    start: datetime
    first_weeks_end: datetime
    end: datetime  # exclusive; never later than now
    no_dialogue_since: datetime

    @classmethod
    def of(cls, school_year: int) -> Period:
        now = timezone.now()
        start = aware(school_year_start(school_year))
        end = min(aware(school_year_start(school_year + 1)), now)
        return cls(
            school_year=school_year,
            start=start,
            first_weeks_end=start + timedelta(weeks=settings.TRUST_FIRST_WEEKS),
            end=end,
            no_dialogue_since=end - timedelta(weeks=settings.TRUST_NO_DIALOGUE_WEEKS),
        )

    def months(self) -> list[date]:
        months, day = [], self.start.date().replace(day=1)
        while aware(day) < self.end:
            months.append(day)
            day = (day + timedelta(days=32)).replace(day=1)
        return months


def filter_families(
    families: QuerySet, *, group_id=None, year_level=None, language=None
) -> QuerySet:
    if group_id:
        families = families.filter(
            pk__in=Pupil.objects.filter(group_id=group_id).values("family_id")
        )
    if year_level:
        families = families.filter(
            pk__in=Pupil.objects.filter(group__year_level=year_level, left_on__isnull=True).values(
                "family_id"
            )
        )
    if language:
        families = families.filter(
            pk__in=Guardianship.objects.filter(guardian__home_languages=language).values(
                "pupil__family_id"
            )
        )
    return families


def share(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass
class GroupRow:
    name: str
    families: int
    positive: int
    first_weeks: int
    no_dialogue: int
    unreached: int

    @property
    def positive_share(self):
        return share(self.positive, self.families)

    @property
    def first_weeks_share(self):
        return share(self.first_weeks, self.families)


@dataclass
class MonthRow:
    month: date
    positive: int = 0
    neutral: int = 0
    concern: int = 0
    families_reached: int = 0
    cumulative_positive_families: int = 0
    cumulative_share: int | None = None


@dataclass
class Monitor:
    period: Period
    families: int
    positive: int
    first_weeks: int
    no_dialogue: int
    unreached: int
    positive_contacts: int
    concern_contacts: int
    groups: list[GroupRow] = field(default_factory=list)
    months: list[MonthRow] = field(default_factory=list)

    @property
    def positive_share(self):
        return share(self.positive, self.families)

    @property
    def first_weeks_share(self):
        return share(self.first_weeks, self.families)

    @property
    def ratio(self) -> float | None:
        if not self.concern_contacts:
            return None
        return round(self.positive_contacts / self.concern_contacts, 1)


def compute(families: QuerySet, period: Period, groups: QuerySet) -> Monitor:
    positive_exists = positive_personal_exists(period.start, period.end)
    first_weeks_exists = positive_personal_exists(period.start, period.first_weeks_end)
    no_dialogue = ~dialogue_exists(period.no_dialogue_since)
    totals = families.aggregate(
        families=Count("pk"),
        positive=Count("pk", filter=Q(positive_exists)),
        first_weeks=Count("pk", filter=Q(first_weeks_exists)),
        no_dialogue=Count("pk", filter=Q(no_dialogue)),
    )
    unreached_ids = unreached_families(families).values("pk")
    unreached = families.filter(pk__in=unreached_ids).count()
    contacts = Contact.objects.filter(
        family__in=families.values("pk"), at__gte=period.start, at__lt=period.end
    )
    tones = contacts.aggregate(
        positive=Count("pk", filter=Q(tone=Tone.POSITIVE)),
        concern=Count("pk", filter=Q(tone=Tone.CONCERN)),
    )
    monitor = Monitor(
        period=period,
        unreached=unreached,
        positive_contacts=tones["positive"],
        concern_contacts=tones["concern"],
        **totals,
    )
    monitor.groups = _per_group(families, groups, period, unreached_ids)
    monitor.months = _per_month(families, contacts, period, monitor.families)
    return monitor


def _per_group(families, groups, period, unreached_ids) -> list[GroupRow]:
    in_scope = families.values("pk")
    positive_ids = families.filter(positive_personal_exists(period.start, period.end)).values("pk")
    first_ids = families.filter(
        positive_personal_exists(period.start, period.first_weeks_end)
    ).values("pk")
    no_dialogue_ids = families.exclude(dialogue_exists(period.no_dialogue_since)).values("pk")
    rows = (
        Pupil.objects.filter(group__in=groups, family__in=in_scope, left_on__isnull=True)
        .values("group__name")
        .annotate(
            families=Count("family", distinct=True),
            positive=Count("family", distinct=True, filter=Q(family__in=positive_ids)),
            first_weeks=Count("family", distinct=True, filter=Q(family__in=first_ids)),
            no_dialogue=Count("family", distinct=True, filter=Q(family__in=no_dialogue_ids)),
            unreached=Count("family", distinct=True, filter=Q(family__in=unreached_ids)),
        )
        .order_by("group__name")
    )
    return [GroupRow(name=r.pop("group__name"), **r) for r in rows]


def _per_month(families, contacts, period, total_families) -> list[MonthRow]:
    months = {m: MonthRow(month=m) for m in period.months()}
    by_month = (
        contacts.annotate(month=TruncMonth("at"))
        .values("month")
        .annotate(
            positive=Count("pk", filter=Q(tone=Tone.POSITIVE)),
            neutral=Count("pk", filter=Q(tone=Tone.NEUTRAL)),
            concern=Count("pk", filter=Q(tone=Tone.CONCERN)),
            families_reached=Count("family", distinct=True, filter=Q(reached=True, bulk=False)),
        )
        .order_by("month")
    )
    for row in by_month:
        month = _as_date(row.pop("month"))
        if month in months:
            for key, value in row.items():
                setattr(months[month], key, value)
    # When did each family first get a positive personal contact this year? Counted per
    # month in the database; the running total runs over at most twelve months.
    first_positive = (
        Contact.objects.filter(
            positive_personal_filter(),
            family=OuterRef("pk"),
            at__gte=period.start,
            at__lt=period.end,
        )
        .order_by("at")
        .values("at")[:1]
    )
    firsts = (
        families.annotate(first_positive=Subquery(first_positive))
        .filter(first_positive__isnull=False)
        .annotate(month=TruncMonth("first_positive"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    new_per_month = {_as_date(r["month"]): r["n"] for r in firsts}
    running = 0
    for month, row in months.items():
        running += new_per_month.get(month, 0)
        row.cumulative_positive_families = running
        row.cumulative_share = share(running, total_families)
    return list(months.values())


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value
