"""The network analyst's figures: counts only, small cells suppressed, no pupil, no name.

Every figure comes from summary tables or small aggregate queries, never from scanning
signals or contacts: signals from ``network.SignalMonthCount``, the trust monitor from
``contacts.FamilySummary`` / ``FamilyYearSummary``, shares grouped per partner, meeting
reach grouped per school.

Time: figures are only published for **completed months** (a month still running would
change between two readings, and the difference would be a small count), and never
summed over a window that moves (a twelve-month total this month minus last month's is
one month's cell). So the signal tables are per month: categories per month (each
month protected on its own), and for one chosen month the schools and postcode areas
by category. Each month's three tables share their category totals and grand total and
are protected together, always — whichever month is chosen — so two readings never
differ in what they hide. Suppression: ``lib.suppression`` (below 10 hidden, then
complementary cells until nothing hidden can be worked out).

Filters: the page offers no filter by school or category. Its set of schools is the
analyst's (named by administrators); the management command takes the same set.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, Min, OuterRef, Sum
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from bondgenoot.contacts.models import FamilySummary, FamilyYearSummary
from bondgenoot.contacts.summary import versions
from bondgenoot.lib.charts import bar_chart
from bondgenoot.lib.suppression import (
    COMPLEMENT,
    SMALL,
    THRESHOLD,
    Equation,
    equations_for_grid,
    protect,
)
from bondgenoot.meetings.models import Attendance, Invitation
from bondgenoot.network.models import Category, Share, SignalMonthCount
from bondgenoot.people.models import Family, Pupil, School
from bondgenoot.people.schoolyear import current_school_year

MONTHS = 12


@dataclass
class Table:
    key: str
    title: str
    row_header: str
    columns: list[str]
    rows: list[tuple[str, list[str]]]  # label, shown values
    total_rows: int = 0  # rows at the end that sum the others (no bar of their own)
    chart_column: int = -1  # the column the chart draws, per row

    def as_dict(self) -> dict:
        return {
            "title": self.title,
            "columns": [self.row_header, *self.columns],
            "rows": [[label, *cells] for label, cells in self.rows],
        }

    def chart(self) -> SafeString | None:
        """A bar chart of the table's total column (or row, per month), drawn only from
        the shown values: a hidden cell ("< 10", "•") draws no bar, so the chart holds
        exactly what the table shows, never more."""
        if not self.rows:
            return None
        if self.key == "signals_per_month":
            label, cells = self.rows[-1]  # all categories, per month
            labels = [c[2:] for c in self.columns]  # "2026-03" -> "26-03"
            values = [plotted(c) for c in cells]
        else:
            body = self.rows[: len(self.rows) - self.total_rows]
            labels = [r[0][:14] for r in body]
            values = [plotted(r[1][self.chart_column]) for r in body]
            label = self.columns[self.chart_column]
        if all(v is None for v in values):
            return None
        return bar_chart(
            labels,
            [(str(label), values, "neutral")],
            title=self.title,
            description=_("The same figures as the table below; hidden figures have no bar."),
        )


def completed_months(today: date | None = None, count: int = MONTHS) -> list[date]:
    """The last ``count`` completed months (their first days), oldest first."""
    first = (today or timezone.localdate()).replace(day=1)
    months = []
    for _i in range(count):
        first = (first - timedelta(days=1)).replace(day=1)
        months.append(first)
    return months[::-1]


def plotted(cell: str) -> int | None:
    """A shown cell as a number for a chart; None for a hidden one ("< 10", "•")."""
    return int(cell) if cell.isdigit() else None


def shown(value: int, status: str | None) -> str:
    if status == SMALL:
        return f"< {THRESHOLD}"
    if status == COMPLEMENT:
        return "•"
    return str(value)


def _month_label(month: date) -> str:
    return f"{month:%Y-%m}"


def signal_tables(school_ids: list[int], months: list[date], chosen: date) -> list[Table]:
    categories = [c for c, _label in Category.choices]
    labels = dict(Category.choices)
    schools = dict(School.objects.filter(pk__in=school_ids).values_list("pk", "name"))
    by_school: dict = defaultdict(int)
    by_area: dict = defaultdict(int)
    areas_in: dict = defaultdict(set)
    for school_id, month, category, area, n in (
        SignalMonthCount.objects.filter(school_id__in=school_ids, month__in=months)
        .values_list("school_id", "month", "category", "area")
        .annotate(n=Sum("count"))
        .values_list("school_id", "month", "category", "area", "n")
    ):
        by_school[month, school_id, category] += n
        by_area[month, area or "?", category] += n
        areas_in[month].add(area or "?")
    status: dict = {}
    values: dict = {}
    for month in months:
        v, eqs = _month_system(
            month, categories, sorted(schools), sorted(areas_in[month]), by_school, by_area
        )
        values.update(v)
        status.update(protect(v, eqs))

    def cell(key) -> str:
        return shown(values[key], status.get(key))

    per_month = Table(
        "signals_per_month",
        _("Signals per category per month"),
        _("Category"),
        [_month_label(m) for m in months],
        [(str(labels[c]), [cell(("cat", m, c)) for m in months]) for c in categories]
        + [(_("All categories"), [cell(("total", m)) for m in months])],
    )
    m = chosen
    columns = [str(labels[c]) for c in categories] + [_("Total")]
    per_school = Table(
        "signals_per_school",
        _("Signals per school, %(month)s") % {"month": _month_label(m)},
        _("School"),
        columns,
        [
            (
                schools[s],
                [cell(("school", m, s, c)) for c in categories] + [cell(("school", m, s, None))],
            )
            for s in sorted(schools)
        ]
        + [(_("All schools"), [cell(("cat", m, c)) for c in categories] + [cell(("total", m))])],
        total_rows=1,
    )
    per_area = Table(
        "signals_per_area",
        _("Signals per postcode area, %(month)s") % {"month": _month_label(m)},
        _("Postcode area"),
        columns,
        [
            (
                a if a != "?" else _("Unknown"),
                [cell(("area", m, a, c)) for c in categories] + [cell(("area", m, a, None))],
            )
            for a in sorted(areas_in[m])
        ],
    )
    return [per_month, per_school, per_area]


def _month_system(month, categories, schools, areas, by_school, by_area):
    values: dict = {}
    for c in categories:
        values["cat", month, c] = sum(by_school[month, s, c] for s in schools)
    values["total", month] = sum(values["cat", month, c] for c in categories)
    for s in schools:
        for c in categories:
            values["school", month, s, c] = by_school[month, s, c]
        values["school", month, s, None] = sum(by_school[month, s, c] for c in categories)
    for a in areas:
        for c in categories:
            values["area", month, a, c] = by_area[month, a, c]
        values["area", month, a, None] = sum(by_area[month, a, c] for c in categories)
    eqs = []
    for kind, rows in (("school", schools), ("area", areas)):
        if rows:
            eqs += equations_for_grid(
                rows,
                categories,
                lambda r, c, k=kind: (k, month, r, c),
                lambda r, k=kind: (k, month, r, None),
                lambda c: ("cat", month, c),
                ("total", month),
            )
    eqs.append(Equation(("total", month), tuple(("cat", month, c) for c in categories)))
    return values, eqs


def share_table(school_ids: list[int], month: date) -> Table:
    """Shares made in the month, per partner: feedback on time, late, still waiting."""
    end = (month + timedelta(days=32)).replace(day=1)
    today = timezone.localdate()
    # the on-time split needs the first feedback per share: one grouped query
    per_share = (
        Share.objects.filter(
            signal__school_id__in=school_ids, shared_at__date__gte=month, shared_at__date__lt=end
        )
        .annotate(first=Min("feedback__at__date"))
        .values_list("partner__name", "first", "feedback_due")
    )
    counts: dict = defaultdict(lambda: [0, 0, 0])
    for partner, first, due in per_share:
        if first is not None:
            counts[partner][0 if first <= due else 1] += 1
        elif due < today:
            counts[partner][1] += 1
        else:
            counts[partner][2] += 1
    partners = sorted(counts)
    columns = ["on_time", "late", "waiting"]
    values: dict = {}
    for p in partners:
        for i, c in enumerate(columns):
            values[p, c] = counts[p][i]
        values[p, None] = sum(counts[p])
    for i, c in enumerate(columns):
        values[None, c] = sum(counts[p][i] for p in partners)
    values[None, None] = sum(values[p, None] for p in partners)
    eqs = (
        equations_for_grid(
            partners,
            columns,
            lambda r, c: (r, c),
            lambda r: (r, None),
            lambda c: (None, c),
            (None, None),
        )
        if partners
        else []
    )
    status = protect(values, eqs)

    def cell(key):
        return shown(values[key], status.get(key))

    return Table(
        "shares_per_partner",
        _("Shares and feedback per partner, %(month)s") % {"month": _month_label(month)},
        _("Partner"),
        [_("Feedback on time"), _("Late"), _("Waiting"), _("Shares")],
        [(p, [cell((p, c)) for c in columns] + [cell((p, None))]) for p in partners]
        + (
            [(_("All partners"), [cell((None, c)) for c in columns] + [cell((None, None))])]
            if partners
            else []
        ),
        total_rows=1 if partners else 0,
    )


def _binary(count: int, of: int) -> str:
    """A count of a whole: hidden when it or what is left of the whole is below 10
    (otherwise "families minus count" would give a small number)."""
    if count < THRESHOLD or (of - count < THRESHOLD and count != of):
        return f"< {THRESHOLD}" if count < THRESHOLD else "•"
    return str(count)


def monitor_table(school_ids: list[int]) -> Table:
    year = current_school_year()
    at_school = Pupil.objects.filter(family=OuterRef("pk"), left_on__isnull=True)
    families = Family.objects.filter(school_id__in=school_ids).filter(Exists(at_school))
    totals = dict(
        families.values_list("school_id").annotate(n=Count("pk")).values_list("school_id", "n")
    )
    positive = dict(
        FamilyYearSummary.objects.filter(
            family__in=families, school_year=year, first_positive_personal_at__isnull=False
        )
        .values_list("family__school_id")
        .annotate(n=Count("pk"))
        .values_list("family__school_id", "n")
    )
    streak = dict(
        FamilySummary.objects.filter(
            family__in=families, unreached_streak__gte=settings.TRUST_UNREACHED_STREAK
        )
        .values_list("family__school_id")
        .annotate(n=Count("pk"))
        .values_list("family__school_id", "n")
    )
    names = dict(School.objects.filter(pk__in=school_ids).values_list("pk", "name"))
    rows = []
    for s in sorted(names):
        total = totals.get(s, 0)
        rows.append(
            (
                names[s],
                [
                    shown(total, SMALL if total < THRESHOLD else None),
                    _binary(positive.get(s, 0), total),
                    _binary(streak.get(s, 0), total),
                ],
            )
        )
    return Table(
        "monitor_per_school",
        _("Trust monitor per school, this school year"),
        _("School"),
        [
            _("Families"),
            _("With a positive personal contact"),
            _("Not reached several times in a row"),
        ],
        rows,
        chart_column=0,
    )


def reach_table(school_ids: list[int]) -> Table:
    year = current_school_year()
    start = date(year, 8, 1)
    invited = dict(
        Invitation.objects.filter(
            meeting__school_id__in=school_ids, meeting__starts_at__date__gte=start
        )
        .values_list("meeting__school_id")
        .annotate(n=Count("family", distinct=True))
        .values_list("meeting__school_id", "n")
    )
    answered = dict(
        Invitation.objects.filter(
            meeting__school_id__in=school_ids, meeting__starts_at__date__gte=start
        )
        .exclude(answer="")
        .values_list("meeting__school_id")
        .annotate(n=Count("family", distinct=True))
        .values_list("meeting__school_id", "n")
    )
    came = dict(
        Attendance.objects.filter(
            meeting__school_id__in=school_ids, meeting__starts_at__date__gte=start
        )
        .values_list("meeting__school_id")
        .annotate(n=Count("family", distinct=True))
        .values_list("meeting__school_id", "n")
    )
    names = dict(School.objects.filter(pk__in=school_ids).values_list("pk", "name"))
    rows = []
    for s in sorted(names):
        total = invited.get(s, 0)
        rows.append(
            (
                names[s],
                [
                    shown(total, SMALL if total < THRESHOLD else None),
                    _binary(answered.get(s, 0), total),
                    _binary(came.get(s, 0), total),
                ],
            )
        )
    return Table(
        "meeting_reach_per_school",
        _("Meeting reach per school, this school year (families)"),
        _("School"),
        [_("Invited"), _("Answered"), _("Came")],
        rows,
        chart_column=0,
    )


# The page and its CSV read the figures through this cache: they cover completed months
# and summary tables, so they change seldom; the key holds the schools' ledger versions
# (bumped on every contact write) and the date, and the short expiry bounds how old a
# figure about shares, feedback or meeting answers can be. The command computes afresh.
CACHE_SECONDS = 300


def cached(school_ids: list[int], chosen: date | None = None) -> dict:
    months = completed_months()
    if chosen not in months:
        chosen = months[-1]
    schools = sorted(school_ids)
    key = (
        "patterns:"
        + hashlib.sha256(
            repr((schools, chosen, timezone.localdate(), versions(schools))).encode()
        ).hexdigest()
    )
    data = cache.get(key)
    if data is None:
        data = compute(schools, chosen)
        cache.set(key, data, CACHE_SECONDS)
    return data


def compute(school_ids: list[int], chosen: date | None = None, today: date | None = None) -> dict:
    months = completed_months(today)
    if chosen not in months:
        chosen = months[-1]
    tables = [
        *signal_tables(school_ids, months, chosen),
        share_table(school_ids, chosen),
        monitor_table(school_ids),
        reach_table(school_ids),
    ]
    return {"months": months, "chosen": chosen, "tables": tables}
