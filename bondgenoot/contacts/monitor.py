"""The trust monitor: per school and per mentor group, computed in the database.

All figures come from a fixed number of queries, whatever the number of families or
contacts: each family's state, the pupils of the groups, and the month summaries.
"""

from __future__ import annotations

import operator
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import reduce
from itertools import accumulate
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.db.models.lookups import LessThan
from django.utils import timezone

from bondgenoot.lib.compiled import compiled_sql
from bondgenoot.people.models import Family, Guardianship, Pupil, Situation
from bondgenoot.people.schoolyear import current_school_year, school_year_start

from .indicators import no_dialogue_q, unreached_q, unreached_threshold
from .models import FamilyMonthSummary


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
class FamilyFigures:
    """Families in view, and how many of them are in each state."""

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
class GroupRow(FamilyFigures):
    name: str = ""


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
class Monitor(FamilyFigures):
    period: Period | None = None
    positive_contacts: int = 0
    concern_contacts: int = 0
    groups: list[GroupRow] = field(default_factory=list)
    months: list[MonthRow] = field(default_factory=list)
    # Sensitive cases that several people contacted lately (approach advisor).
    inconsistent_sensitive: int = 0
    # The ids of the sensitive cases in view (read with the figures, for the above).
    sensitive: list[UUID] = field(default_factory=list)
    # Per figure with a list of names (``NAME_LISTS``): the families in view it counts,
    # ids as text (read with the figures, for ``name_lists``).
    listed: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if not self.concern_contacts:
            return None
        return round(self.positive_contacts / self.concern_contacts, 1)


def with_year(families: QuerySet, period: Period) -> QuerySet:
    """Join each family's summary as ``fs`` and its summary for the period's school year
    as ``ys``. Both joins match the family's school as well: PostgreSQL carries the
    families' school condition over to the summaries and reads one school's rows through
    their school index, not every family's (a hash join over all of them took a school
    leader's monitor 8 ms)."""
    return families.annotate(
        fs=FilteredRelation("summary", condition=Q(summary__school=F("school"))),
        ys=FilteredRelation(
            "year_summaries",
            condition=Q(
                year_summaries__school_year=period.school_year,
                year_summaries__school=F("school"),
            ),
        ),
    )


def period_filters(period: Period) -> dict[str, Q]:
    current = period.school_year == current_school_year()
    return {
        "positive": Q(
            ys__first_positive_personal_at__isnull=False,
            ys__first_positive_personal_at__lt=period.end,
        ),
        "first_weeks": Q(ys__first_positive_personal_at__lt=period.first_weeks_end),
        "no_dialogue": no_dialogue_q(period.no_dialogue_since, current),
        "unreached": unreached_q(),
    }


SENSITIVE = Situation.SENSITIVE.value

# Up to this many families, the month query names them (see ``compute``).
FEW_FAMILIES = 300


def compute(families: QuerySet, period: Period, groups) -> Monitor:
    filters = period_filters(period)
    months = period.months()
    month_ends = [aware((m + timedelta(days=32)).replace(day=1)) for m in months]
    groups = list(groups)
    seen = _families_in_view(families, period, month_ends, [g.pk for g in groups])
    states = seen.states
    totals, cumulative = _count_states(Counter(states.values()), list(filters), len(months))
    counted = _per_month(families, seen, months, month_ends)
    rows = []
    for i, month in enumerate(months):
        positive, neutral, concern, reached = counted.get(month.isoformat(), (0, 0, 0, 0))
        rows.append(
            MonthRow(
                month=month,
                positive=positive,
                neutral=neutral,
                concern=concern,
                families_reached=reached,
                cumulative_positive_families=cumulative[i],
                cumulative_share=share(cumulative[i], totals["families"]),
            )
        )
    monitor = Monitor(
        period=period,
        positive_contacts=sum(r.positive for r in rows),
        concern_contacts=sum(r.concern for r in rows),
        months=rows,
        **totals,
    )
    monitor.groups = _per_group(seen, groups, list(filters))
    monitor.sensitive = [UUID(key) for key in seen.sensitive]
    bits = {name: 1 << bit for bit, name in enumerate(filters)}
    monitor.listed = {
        name: [key for key, state in states.items() if state & bits[name]]
        for name in NAME_LISTS
        if name in bits
    }
    return monitor


# The figures count families, each family in one state: which of ``period_filters`` it
# meets, and the first month by whose end it had a positive personal contact. The database
# gives each family's state as one number (a bit per filter, the month above those bits);
# the counting, for the whole view and per group, is then a sum over a few hundred
# numbers. This is cheaper than an aggregate query per breakdown, most of whose time was
# Django building the SQL for a COUNT(DISTINCT ...) FILTER per figure. Family ids are read
# as text: only compared here, they need not become UUID objects (a third of the time).


@dataclass
class _InView:
    """What one query reads about the families in view."""

    states: dict[str, int] = field(default_factory=dict)  # family id (as text) → state
    schools: set[int] = field(default_factory=set)
    # (group id, family id) per pupil in one of the groups who has not left.
    pupils: list[tuple[int, str]] = field(default_factory=list)
    sensitive: list[str] = field(default_factory=list)  # sensitive cases (Situation)


def _families_in_view(
    families: QuerySet,
    period: Period,
    month_ends: list[datetime],
    group_ids: list[int],
) -> _InView:
    """Per family in view: its state (see ``_count_states``), school and situation; and
    the groups (of ``group_ids``) it has a pupil in who has not left."""
    rows = _states(families, period, month_ends)
    # Comprehensions, not a loop of method calls: a school has 1,500 rows.
    seen = _InView(
        states={key: family_state for key, family_state, _school, _situation in rows},
        schools={school_id for _key, _state, school_id, _situation in rows},
        sensitive=[key for key, _state, _school, situation in rows if situation == SENSITIVE],
    )
    if group_ids and rows:
        # The groups' pupils in a query of their own (through the pupils' group index):
        # as a join on the families' rows it took SQLite a third of the states' time.
        # Only families in view count: ``families`` may be filtered.
        states = seen.states
        group_ids = list(dict.fromkeys(group_ids))
        sql, params = compiled_sql(
            ("monitor.pupils", len(group_ids)), _groups_pupils, [group_ids], Pupil.objects.db
        )
        seen.pupils = [
            (group_id, key)
            for group_id, key in _raw_rows(sql, params, Pupil.objects.db)
            if key in states
        ]
    return seen


def _groups_pupils(group_ids: list[int]) -> QuerySet:
    """The (group id, family id as text) of the groups' pupils who have not left."""
    # group__id: the same SQL (the join trimmed) without the foreign key's normalizing
    # of each of a school's 60 ids (a third of the query's cost).
    return (
        Pupil.objects.filter(group__id__in=group_ids, left_on__isnull=True)
        .annotate(key=Cast("family_id", CharField()))
        .values_list("group_id", "key")
        .order_by()
    )


def _states(families: QuerySet, period: Period, month_ends: list[datetime]) -> list[tuple]:
    """Per family in view: (id as text, state, school id, situation). The query is
    built and compiled once per process for the SQL of the families in view (their
    access rule and filters) and the period's shape, then given the period's moments
    (``lib.compiled.compiled_sql``): building it took a school leader's monitor as long
    as running it."""
    try:
        in_view = families.query.get_compiler(families.db).as_sql()
    except EmptyResultSet:
        return []
    key = (
        "monitor.states",
        in_view[0],
        tuple(in_view[1]),
        period.school_year,
        period.school_year == current_school_year(),  # which summary tells no dialogue
        len(month_ends),
        unreached_threshold(),
    )

    def build(first_weeks_end: datetime, end: datetime, no_dialogue_since: datetime, ends):
        moments = replace(
            period, first_weeks_end=first_weeks_end, end=end, no_dialogue_since=no_dialogue_since
        )
        return _states_query(families, moments, ends)

    moments = [period.first_weeks_end, period.end, period.no_dialogue_since, month_ends]
    sql, params = compiled_sql(key, build, moments, families.db)
    return _raw_rows(sql, params, families.db)


def _states_query(families: QuerySet, period: Period, month_ends: list[datetime]) -> QuerySet:
    filters = period_filters(period)
    terms = [
        Case(When(q, then=Value(1 << bit)), default=Value(0))
        for bit, q in enumerate(filters.values())
    ]
    if month_ends:
        shift = len(filters)
        # Months are in order: the first month end the first positive contact is before.
        # Each compares the alias below: a lookup on it costs Django a fifth of a ``Q``
        # on the joined field (whose path it would resolve anew, month by month).
        first_positive = F("first_positive")
        first_month = Case(
            *[
                When(LessThan(first_positive, end), then=Value(i << shift))
                for i, end in enumerate(month_ends)
            ],
            default=Value(len(month_ends) << shift),
        )
        terms.append(first_month)
    state = reduce(operator.add, terms)
    return (
        with_year(families, period)
        .alias(first_positive=F("ys__first_positive_personal_at"))
        .annotate(
            key=Cast("pk", CharField()),
            state=ExpressionWrapper(state, output_field=IntegerField()),
        )
        .values_list("key", "state", "school_id", "situation")
        .order_by()
    )


def _per_month(
    families: QuerySet, seen: _InView, months: list[date], month_ends: list[datetime]
) -> dict[str, tuple[int, int, int, int]]:
    """Per month (as ``YYYY-MM-DD``): the contacts' positive, neutral and concern sums and
    the families reached, of the families in view. From the per-family month summaries,
    not from all contacts:

    - a few families (a mentor's) by their ids, family by family through the (family,
      month) index;
    - a school's families by the schools, through the (school, month) index, checking
      the family (family by family was a third slower there);
    - every family of the schools (a school leader's view, unfiltered) by the schools
      alone: a month summary's school is its family's.

    Each compiled once per connection and shape (``lib.compiled.compiled_sql``)."""
    states, schools = seen.states, sorted(seen.schools)
    if not months or not states:
        return {}
    first, last = months[0], month_ends[-1].date()
    summaries = FamilyMonthSummary.objects
    key: tuple[Any, ...]
    if len(states) <= FEW_FAMILIES:
        ids = [UUID(family) for family in states]
        key = ("monitor.months.families", len(ids))
        # family__id: see group__id in ``_groups_pupils``.
        values: list[Any] = [first, last, ids]

        def build(first, last, ids):
            return _month_sums(summaries.filter(family__id__in=ids), first, last)

    elif _every_family_of(seen.schools, len(states)):
        key = ("monitor.months.schools", len(schools))
        values = [first, last, schools]

        def build(first, last, schools):
            return _month_sums(summaries.filter(school_id__in=schools), first, last)

    else:
        in_view = families.query.get_compiler(families.db).as_sql()
        key = ("monitor.months.schools.families", len(schools), in_view[0], tuple(in_view[1]))
        values = [first, last, schools]

        def build(first, last, schools):
            return _month_sums(
                summaries.filter(school_id__in=schools, family__id__in=families.values("pk")),
                first,
                last,
            )

    sql, params = compiled_sql(key, build, values, summaries.db)
    rows = _raw_rows(sql, params, summaries.db)
    return {str(month): (pos, neu, con, rea) for month, pos, neu, con, rea in rows}


def _month_sums(summaries: QuerySet, first: date, last: date) -> QuerySet:
    return (
        summaries.filter(month__gte=first, month__lt=last)
        .values("month")
        .annotate(
            positive=Sum("positive"),
            neutral=Sum("neutral"),
            concern=Sum("concern"),
            # The family, not the id: the index holds every column the sums read, not the id.
            reached=Count("family", filter=Q(reached=True)),
        )
        .values_list("month", "positive", "neutral", "concern", "reached")
        .order_by()
    )


def _every_family_of(schools: set[int], in_view: int) -> bool:
    """Whether the ``in_view`` families (each of one of ``schools``) are all of them."""
    return Family.objects.filter(school_id__in=schools).count() == in_view


def _raw_rows(sql: str, params: tuple, using: str) -> list[tuple]:
    """The rows of a ``values_list`` query as the database cursor gives them: without
    Django's iterator and its converter per row and column (the state's integer has one),
    which cost a school's 1,500 rows about a fifth of the monitor's Python time. Only for
    columns the database gives as Python wants them: text, integers, NULL."""
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _count_states(
    counts: Mapping[int, int], names: list[str], months: int
) -> tuple[dict[str, Any], list[int]]:
    """How many families are in each state (``families`` and one count per filter name),
    and how many had a positive personal contact by the end of each month, from how
    many families there are per state."""
    totals: dict[str, Any] = dict.fromkeys(names, 0)
    totals["families"] = sum(counts.values())
    for state, n in counts.items():
        for bit, name in enumerate(names):
            if state & (1 << bit):
                totals[name] += n
    if not months:
        return totals, []  # a group's figures: no months
    first_months: Counter[int] = Counter()
    shift = len(names)
    for state, n in counts.items():
        first_months[state >> shift] += n
    cumulative = list(accumulate(first_months[i] for i in range(months)))
    return totals, cumulative


def _per_group(seen: _InView, groups, names: list[str]) -> list[GroupRow]:
    """Per group name (in the order of ``groups``: the view's are by name), the families in
    view with a pupil in it who has not left; a family counts once per group name."""
    name_of = {group.pk: group.name for group in groups}
    states = seen.states
    # Counted in comprehensions and a Counter, not per pupil: a school has 1,500.
    families = {(name_of[group_id], key) for group_id, key in seen.pupils}
    per_name: defaultdict[str, dict[int, int]] = defaultdict(dict)
    for (name, state), n in Counter([(name, states[key]) for name, key in families]).items():
        per_name[name][state] = n
    # A name's row comes where its first group with such pupils is.
    with_pupils = {group_id for group_id, _key in seen.pupils}
    rows = []
    for group in groups:
        if group.pk in with_pupils and group.name in per_name:
            totals, _ = _count_states(per_name.pop(group.name), names, 0)
            rows.append(GroupRow(name=group.name, **totals))
    return rows


# The lists of families by name: two of ``period_filters`` and the inconsistent cases.
NAME_LISTS = ("no_dialogue", "unreached", "inconsistent")


def name_lists(named: QuerySet, monitor: Monitor, inconsistent: list, limit: int) -> dict:
    """Per list of ``NAME_LISTS``: its first ``limit`` families by name (``pk`` as text,
    ``name``) and how many it has. A list holds the families its figure counts
    (``Monitor.listed``: families in view) or the ``inconsistent`` ids, of those among
    ``named``. One query reads their names, in order of name: which list a family is
    on, the figures' states tell already (a query with the lists' conditions cost as
    much as the figures' own)."""
    on = {name: {UUID(key) for key in keys} for name, keys in monitor.listed.items()}
    on["inconsistent"] = set(inconsistent)
    ids = set().union(*on.values())
    rows = (
        list(
            named.filter(pk__in=ids)
            .order_by("name", "pk")  # ties in one order on both databases
            .values_list("pk", "name")
        )
        if ids
        else []
    )
    lists = {}
    for name in NAME_LISTS:
        listed = on.get(name, set())
        rows_on = [(pk, family) for pk, family in rows if pk in listed]
        lists[name] = {
            "rows": [{"pk": str(pk), "name": family} for pk, family in rows_on[:limit]],
            "count": len(rows_on),
        }
    return lists


def without_positive_contact(families: QuerySet, period: Period) -> QuerySet:
    return with_year(families, period).exclude(period_filters(period)["positive"])
