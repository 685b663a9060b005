from datetime import date, timedelta
from typing import Any, cast
from unittest import mock

from django.db.models import Count, FilteredRelation, Q, Sum
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from bondgenoot.contacts.models import FamilyMonthSummary
from bondgenoot.contacts.monitor import (
    Period,
    aware,
    compute,
    filter_families,
    period_filters,
    with_year,
)
from bondgenoot.people.models import Family, Group, Pupil
from bondgenoot.people.schoolyear import current_school_year
from bondgenoot.testing import (
    BaseTestCase,
    add_contact,
    count_queries,
    grow,
    make_family,
    make_group,
)


def days_into_year(days: int) -> float:
    """How many days ago the given day of this school year was."""
    start = Period.of(current_school_year()).start
    return (timezone.now() - (start + timedelta(days=days))).total_seconds() / 86400


class MonitorFiguresTest(BaseTestCase):
    def setUp(self):
        self.period = Period.of(current_school_year())
        # Jansen: positive call in week 2 (counts for both shares).
        add_contact(self.jansen, self.mentor, days_ago=days_into_year(10), tone="positive")
        # Yilmaz: positive, but later than 6 weeks; plus a concern contact.
        add_contact(self.yilmaz, self.mentor, days_ago=days_into_year(60), tone="positive")
        add_contact(self.yilmaz, self.mentor, days_ago=days_into_year(61), tone="concern")
        # El Amrani: three unreached attempts, only one-way messages.
        for n in range(3):
            add_contact(self.el_amrani, self.care, days_ago=3 + n, reached=False)

    def compute(self):
        families = Family.objects.filter(school=self.school)
        return compute(families, self.period, Group.objects.filter(school=self.school))

    def test_it_counts_the_shares_of_families_with_positive_contact(self):
        m = self.compute()
        self.assertEqual((m.families, m.positive, m.first_weeks), (3, 2, 1))
        self.assertEqual((m.positive_share, m.first_weeks_share), (67, 33))

    def test_it_computes_the_positive_to_concern_ratio(self):
        m = self.compute()
        self.assertEqual((m.positive_contacts, m.concern_contacts, m.ratio), (2, 1, 2.0))

    def test_it_counts_unreached_and_silent_families(self):
        m = self.compute()
        self.assertEqual(m.unreached, 1)
        # El Amrani had no conversation; Jansen's and Yilmaz's were longer than 8 weeks ago
        # only if the school year is old enough, so count directly what the rule says.
        recent = timezone.now() - timedelta(weeks=8)
        expected = sum(
            1
            for f in (self.jansen, self.yilmaz, self.el_amrani)
            if not f.contacts.filter(dialogue=True, reached=True, at__gte=recent)
        )
        self.assertEqual(m.no_dialogue, expected)

    def test_the_unreached_figure_follows_the_setting(self):
        # The figures' query is compiled once per process (``monitor._states``): the
        # threshold, a setting, is part of what it is kept by.
        self.assertEqual(self.compute().unreached, 1)
        with override_settings(TRUST_UNREACHED_STREAK=4):
            self.assertEqual(self.compute().unreached, 0)
        with override_settings(TRUST_UNREACHED_STREAK=3):
            self.assertEqual(self.compute().unreached, 1)

    def test_a_school_year_that_ended_counts_its_own_conversations(self):
        # For an earlier school year "no dialogue" reads that year's summaries, not the
        # whole ledger's: the same year's figures, once the next year has begun, come
        # from another query (kept apart from the current year's: ``monitor._states``).
        year = current_school_year()
        self.compute()
        with mock.patch("bondgenoot.contacts.monitor.current_school_year", return_value=year + 1):
            m = self.compute()
        self.assertEqual(m.families, 3)

    def test_it_breaks_figures_down_per_group(self):
        rows = {g.name: g for g in self.compute().groups}
        self.assertEqual((rows["1A"].families, rows["1A"].positive), (2, 2))  # Jansen, Yilmaz
        self.assertEqual((rows["2B"].families, rows["2B"].unreached), (2, 1))  # Amrani, Yilmaz

    def test_it_counts_nothing_for_no_families(self):
        # The families' states are read with the cursor: a query Django knows is empty
        # (it writes no SQL for it) gives no rows.
        m = compute(Family.objects.none(), self.period, Group.objects.filter(school=self.school))
        self.assertEqual((m.families, m.positive, m.groups, m.sensitive), (0, 0, [], []))
        self.assertEqual(m.months[-1].cumulative_positive_families, 0)

    def test_it_gives_monthly_figures_with_a_running_share(self):
        months = self.compute().months
        self.assertEqual(months[0].month, self.period.start.date().replace(day=1))
        self.assertEqual(sum(m.positive for m in months), 2)
        self.assertEqual(months[-1].cumulative_positive_families, 2)
        self.assertEqual(months[-1].cumulative_share, 67)


def _prefix(q: Q, prefix: str) -> Q:
    clone = Q()
    clone.connector, clone.negated = q.connector, q.negated
    for child in q.children:
        if isinstance(child, Q):
            clone.children.append(_prefix(child, prefix))
        else:
            key, value = cast(tuple[str, Any], child)
            clone.children.append(
                (key if key.startswith(("fs__", "ys__")) else prefix + key, value)
            )
    return clone


def aggregated(families, period: Period, groups) -> dict:
    """The monitor's family figures as they were first defined: a COUNT per figure in
    the database, COUNT(DISTINCT family) per group name. ``compute`` must agree."""
    filters = period_filters(period)
    ends = [aware((m + timedelta(days=32)).replace(day=1)) for m in period.months()]
    totals = with_year(families, period).aggregate(
        families=Count("pk"),
        **{name: Count("pk", filter=q) for name, q in filters.items()},
        **{
            f"cum{i}": Count("pk", filter=Q(ys__first_positive_personal_at__lt=end))
            for i, end in enumerate(ends)
        },
    )
    cumulative = [totals.pop(f"cum{i}") for i in range(len(ends))]
    months = {
        row["month"]: row
        for row in FamilyMonthSummary.objects.filter(
            school_id__in=families.values("school_id"),
            family__in=families.values("pk"),
            month__gte=period.months()[0],
            month__lt=ends[-1].date(),
        )
        .values("month")
        .annotate(
            positive=Sum("positive"),
            neutral=Sum("neutral"),
            concern=Sum("concern"),
            reached=Count("pk", filter=Q(reached=True)),
        )
        .order_by()
    }
    empty = {"positive": 0, "neutral": 0, "concern": 0, "reached": 0}
    per_month = [
        tuple(months.get(m, empty)[k] for k in ("positive", "neutral", "concern", "reached"))
        for m in period.months()
    ]
    pupils = Pupil.objects.filter(
        group__in=groups, family__in=families.values("pk"), left_on__isnull=True
    ).annotate(
        # The plain joins, without the school that ``with_year`` matches as well.
        fs=FilteredRelation("family__summary"),
        ys=FilteredRelation(
            "family__year_summaries",
            condition=Q(family__year_summaries__school_year=period.school_year),
        ),
    )
    per_group = [
        dict(r)
        for r in pupils.values("group__name")
        .annotate(
            families=Count("family", distinct=True),
            **{
                name: Count("family", distinct=True, filter=_prefix(q, "family__"))
                for name, q in filters.items()
            },
        )
        .order_by("group__name")
    ]
    return {"totals": totals, "cumulative": cumulative, "months": per_month, "groups": per_group}


def computed(families, period: Period, groups) -> dict:
    m = compute(families, period, groups)
    names = ["families", "positive", "first_weeks", "no_dialogue", "unreached"]
    return {
        "totals": {name: getattr(m, name) for name in names},
        "cumulative": [row.cumulative_positive_families for row in m.months],
        "months": [(r.positive, r.neutral, r.concern, r.families_reached) for r in m.months],
        "groups": [
            {"group__name": g.name, **{name: getattr(g, name) for name in names}} for g in m.groups
        ],
    }


class MonitorAgreesWithTheAggregateDefinitionTest(BaseTestCase):
    """The figures are counted in Python from each family's state; they must be what the
    SQL aggregates (one COUNT per figure, COUNT DISTINCT per group) gave."""

    def setUp(self):
        year = current_school_year()
        # Families with two pupils in one group (every third), in two groups (Yilmaz),
        # a pupil who left, a group of the same name at another school, small cells.
        grow(self.school, self.group_1a, 7)
        grow(self.school, self.group_2b, 4, prefix="Twee")
        self.group_3c = make_group(self.school, "3C")
        grow(self.school, self.group_3c, 1, prefix="Klein")
        left = Pupil.objects.filter(family__name="Twee 001").first()
        Pupil.objects.create(
            school=self.school,
            family=left.family,
            group=self.group_3c,
            first_name="Ex",
            last_name="Twee",
            date_of_birth=date(2012, 1, 1),
            pupil_number="9999",
            left_on=timezone.localdate(),
        )
        grow(self.other_school, self.other_group, 2, prefix="Ander")
        start = Period.of(year).start
        days = max(1, (timezone.now() - start).days)
        families = list(Family.objects.order_by("name"))
        for index, family in enumerate(families):
            kind = index % 5
            if kind == 0:  # positive in the first weeks
                add_contact(family, self.mentor, days_ago=days - 3, tone="positive")
            elif kind == 1:  # positive later on, and last school year
                add_contact(family, self.mentor, days_ago=max(0.5, days - 70), tone="positive")
                add_contact(family, self.mentor, days_ago=days + 30, tone="positive")
            elif kind == 2:  # not reached three times in a row
                for n in range(3):
                    add_contact(family, self.care, days_ago=1 + n, reached=False)
            elif kind == 3:  # a conversation long ago, a positive one-way message lately
                add_contact(family, self.care, days_ago=days + 100)
                add_contact(family, self.care, days_ago=2, tone="positive", dialogue=False)
            # kind 4: no contact at all

    def assert_agrees(self, families, period, groups):
        expected = aggregated(families, period, groups)
        # The months are read family by family for a few families, by school for many.
        for few in (100, 0):
            with self.subTest(few=few), mock.patch("bondgenoot.contacts.monitor.FEW_FAMILIES", few):
                self.assertEqual(computed(families, period, groups), expected)

    def test_it_agrees_for_the_whole_view_and_per_group(self):
        year = current_school_year()
        families = Family.objects.all()
        groups = Group.objects.filter(school_year=year)
        for school_year in (year, year - 1):
            with self.subTest(school_year=school_year):
                self.assert_agrees(families, Period.of(school_year), groups)
        result = computed(families, Period.of(year), groups)
        rows = {r["group__name"]: r for r in result["groups"]}
        # Two schools' 1A are one row; a family with two pupils in 1A counts once; the
        # pupil who left does not count in 3C.
        self.assertEqual(rows["1A"]["families"], 2 + 7 + 1 + 2)
        self.assertEqual(rows["3C"]["families"], 1)

    def test_it_agrees_for_filtered_families_and_one_group(self):
        period = Period.of(current_school_year())
        groups = Group.objects.filter(school=self.school)
        for filters in ({"language": "tr"}, {"year_level": 2}, {"group_id": self.group_2b.pk}):
            with self.subTest(**filters):
                families = filter_families(Family.objects.filter(school=self.school), **filters)
                self.assert_agrees(families, period, groups)
        self.assert_agrees(Family.objects.none(), period, groups)


class MonitorViewTest(BaseTestCase):
    url = reverse("contacts:monitor")

    def setUp(self):
        for n in range(3):
            add_contact(self.el_amrani, self.care, days_ago=2 + n, reached=False)

    def test_it_shows_a_school_leader_figures_but_no_names(self):
        grow(self.school, self.group_1a, 7)  # 10 families: the smallest figure shown
        self.login(self.leader)
        response = self.client.get(self.url)
        self.assertContains(response, "<svg")
        self.assertContains(response, "<table")
        self.assertNotContains(response, "El Amrani")
        self.assertNotContains(response, "Jansen")
        self.assertEqual(response.context["m"].families, 10)

    def test_it_hides_figures_about_fewer_than_ten_families_from_a_leader(self):
        self.login(self.leader)
        response = self.client.get(self.url, {"language": "ar"})  # one family
        self.assertContains(response, "Minder dan 10 gezinnen")
        self.assertNotContains(response, "<svg")
        self.login(self.care)  # who may see the families anyway
        self.assertContains(self.client.get(self.url, {"language": "ar"}), "<svg")

    def test_it_shows_a_mentor_only_their_own_groups(self):
        self.login(self.mentor)
        response = self.client.get(self.url)
        self.assertEqual(response.context["m"].families, 2)  # Jansen and Yilmaz
        self.assertNotContains(response, "El Amrani")

    def test_it_names_unreached_families_for_the_care_coordinator(self):
        self.login(self.care)
        response = self.client.get(self.url)
        self.assertContains(response, "El Amrani")

    def test_a_leaders_dual_role_names_only_the_families_they_work_with(self):
        # Mentor of 2B and school leader: figures for the whole school, names of 2B only.
        self.login(self.dual)
        response = self.client.get(self.url)
        self.assertEqual(
            (response.context["m"].families, response.context["m"].no_dialogue), (3, 3)
        )
        names = [row["name"] for row in response.context["lists"]["no_dialogue"]["rows"]]
        self.assertEqual(names, ["El Amrani", "Yilmaz"])

    def test_each_list_names_its_own_families_in_order_of_name(self):
        # One query reads the three lists: a family on two is on both, each list counted.
        add_contact(self.jansen, self.care, days_ago=3, dialogue=True)
        self.login(self.care)
        lists = self.client.get(self.url).context["lists"]
        names = {name: [row["name"] for row in block["rows"]] for name, block in lists.items()}
        self.assertEqual(names["no_dialogue"], ["El Amrani", "Yilmaz"])
        self.assertEqual(names["unreached"], ["El Amrani"])
        self.assertEqual(names["inconsistent"], [])
        self.assertEqual([block["count"] for block in lists.values()], [2, 1, 0])
        self.assertEqual(lists["unreached"]["rows"][0]["pk"], str(self.el_amrani.pk))

    def test_families_of_one_name_are_listed_in_one_order(self):
        twins = [make_family(self.school, self.group_1a, name="Bakker") for _ in range(3)]
        self.login(self.care)
        rows = self.client.get(self.url).context["lists"]["no_dialogue"]["rows"]
        bakkers = [row["pk"] for row in rows if row["name"] == "Bakker"]
        self.assertEqual(bakkers, sorted(str(f.pk) for f in twins))

    def test_it_filters_by_group_year_and_language(self):
        self.login(self.care)
        self.assertEqual(
            self.client.get(self.url, {"group": self.group_2b.pk}).context["m"].families, 2
        )
        self.assertEqual(self.client.get(self.url, {"language": "ar"}).context["m"].families, 1)
        self.assertEqual(self.client.get(self.url, {"year_level": 2}).context["m"].families, 2)
        last_year = current_school_year() - 1
        response = self.client.get(self.url, {"school_year": last_year})
        self.assertEqual(response.context["m"].period.school_year, last_year)
        self.assertEqual(response.context["m"].unreached, 1)

    def test_it_lists_the_first_names_and_counts_them_all(self):
        from bondgenoot.contacts.monitor_views import LIST_LIMIT

        self.login(self.care)
        # El Amrani is unreached; then enough families to fill the list, then two more (one
        # more than the list reads): the count is exact on both sides of the limit.
        for extra, expected in ((LIST_LIMIT - 1, LIST_LIMIT), (2, LIST_LIMIT + 2)):
            grow(self.school, self.group_1a, extra, prefix=f"Onbereikt {expected}")
            for family in Family.objects.filter(name__startswith=f"Onbereikt {expected}"):
                for n in range(3):
                    add_contact(family, self.care, days_ago=2 + n, reached=False)
            block = self.client.get(self.url).context["lists"]["unreached"]
            self.assertEqual((len(block["rows"]), block["count"]), (LIST_LIMIT, expected))
            self.assertEqual(block["rows"][0]["name"], "El Amrani")

    def test_it_is_forbidden_for_roles_without_a_monitor(self):
        for user in (self.teacher, self.admin, self.keyfigure, self.partner, self.parent):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403, user.username)

    def test_it_keeps_schools_apart(self):
        self.login(self.outsider)
        self.assertEqual(self.client.get(self.url).context["m"].families, 1)

    def test_its_query_count_does_not_grow_with_data(self):
        self.login(self.leader)
        self.client.get(self.url)
        small = count_queries(lambda: self.client.get(self.url))
        group = make_group(self.school, "3C")
        grow(self.school, group, 30)
        for family in Family.objects.filter(name__startswith="Extra"):
            add_contact(family, self.care, days_ago=3, tone="positive")
            add_contact(family, self.care, days_ago=2, reached=False)
        large = count_queries(lambda: self.client.get(self.url))
        self.assertEqual(small, large)


class MonitorCacheTest(BaseTestCase):
    url = reverse("contacts:monitor")

    def test_it_never_shows_figures_older_than_the_last_contact(self):
        from django.core.cache import cache
        from django.core.management import call_command
        from django.test import override_settings

        from bondgenoot.settings import cache_from_url

        # Per process, and the default: shared by all processes through the database.
        # (Another family each time: the figure counts families.)
        for name, backend, family in [
            ("locmem", {**cache_from_url("locmem://"), "LOCATION": "monitor-test"}, self.jansen),
            ("database", cache_from_url(""), self.yilmaz),
        ]:
            with self.subTest(name), override_settings(CACHES={"default": backend}):
                call_command("createcachetable", verbosity=0)
                cache.clear()
                self.login(self.leader)
                first = self.client.get(self.url).context["m"]
                before = first.positive
                cached = count_queries(lambda: self.client.get(self.url))
                self.login(self.mentor)
                self.client.post(
                    reverse("contacts:new", args=[family.pk]),
                    {
                        "channel": "phone",
                        "purpose": "acquaintance",
                        "tone": "positive",
                        "reached": "1",
                    },
                )
                self.login(self.leader)
                uncached = count_queries(lambda: self.client.get(self.url))
                self.assertEqual(self.client.get(self.url).context["m"].positive, before + 1)
                self.assertLess(cached, uncached)


class MonitorMarkupTest(BaseTestCase):
    """The tables' rows and the name lists are written in Python: the markup the page's
    template had, every value escaped."""

    def test_a_list_links_each_family_and_says_how_many_there_are(self):
        from bondgenoot.contacts.monitor_views import names_html
        from bondgenoot.lib.urls import reverser

        url = reverser("people:family")
        pk = str(self.jansen.pk)
        rows = [{"pk": pk, "name": "<b>Jansen & Co</b>"}]
        family = reverse("people:family", args=[pk])
        self.assertEqual(
            names_html({"rows": rows, "count": 1}, url),
            f'<ul><li><a href="{family}">&lt;b&gt;Jansen &amp; Co&lt;/b&gt;</a></li></ul>\n\n\n',
        )
        self.assertEqual(
            names_html({"rows": rows, "count": 3}, url),
            f'<ul><li><a href="{family}">&lt;b&gt;Jansen &amp; Co&lt;/b&gt;</a></li></ul>\n'
            '<p class="muted">Je ziet 1 van de 3.</p>\n\n',
        )
        self.assertEqual(
            names_html({"rows": [], "count": 0}, url),
            '<p class="muted">Geen gezinnen. Goed gedaan!</p>\n',
        )

    def test_a_group_row_shows_its_figures_unless_suppressed(self):
        from bondgenoot.contacts.monitor import GroupRow
        from bondgenoot.contacts.monitor_views import group_rows

        row = GroupRow(
            families=4, positive=1, first_weeks=0, no_dialogue=2, unreached=3, name="1<a>"
        )
        self.assertEqual(
            group_rows([row], 10),
            '<tr><th scope="row">1&lt;a&gt;</th><td>4</td><td>1 (25%)</td><td>0 (0%)</td>'
            "<td>2</td><td>3</td></tr>",
        )
        cast(Any, row).suppressed = True
        self.assertEqual(
            group_rows([row], 10),
            '<tr><th scope="row">1&lt;a&gt;</th>'
            '<td colspan="5">minder dan 10 gezinnen: niet getoond</td></tr>',
        )


class MonthIndexStatisticsTest(BaseTestCase):
    """The migrations that add indexes analyze the table where SQLite has statistics for
    it (else it took the months' covering index for a mentor's few families too), and
    nowhere else (``lib.sqlite_stats``)."""

    def setUp(self):
        from django.db import connection

        if connection.vendor != "sqlite":
            self.skipTest("SQLite's statistics")
        add_contact(self.jansen, self.mentor, days_ago=3, tone="positive")
        self.assertTrue(FamilyMonthSummary.objects.exists())

    def analyze_if_analyzed(self):
        from types import SimpleNamespace

        from django.db import connection

        from bondgenoot.lib.sqlite_stats import analyze_if_analyzed

        # As the migrations that add indexes run it (0007 for this table).
        run = analyze_if_analyzed("contacts_familymonthsummary")
        run(None, SimpleNamespace(connection=connection))

    def indexes_with_statistics(self) -> set:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone() is None:
                return set()
            cursor.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = 'contacts_familymonthsummary'")
            return {row[0] for row in cursor.fetchall()}

    def test_it_gives_the_new_index_statistics_where_the_table_has_them(self):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE contacts_familymonthsummary")
            cursor.execute("DELETE FROM sqlite_stat1 WHERE idx = 'contacts_month_school_sums'")
        self.assertNotIn("contacts_month_school_sums", self.indexes_with_statistics())
        self.analyze_if_analyzed()
        self.assertIn("contacts_month_school_sums", self.indexes_with_statistics())

    def test_it_leaves_a_table_without_statistics_so(self):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone() is not None:
                cursor.execute("DELETE FROM sqlite_stat1")
        self.analyze_if_analyzed()
        self.assertEqual(self.indexes_with_statistics(), set())
