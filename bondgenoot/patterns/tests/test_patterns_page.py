import json
from datetime import date, timedelta
from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from bondgenoot.cases import actions as case_actions
from bondgenoot.network.models import Signal, SignalMonthCount
from bondgenoot.patterns import figures
from bondgenoot.people.models import Pupil, Role
from bondgenoot.testing import BaseTestCase, make_school, make_user


class PatternsPageTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.analyst = make_user("analyst", school=cls.school, roles=[Role.NETWORK_ANALYST])
        month = figures.completed_months()[-1]
        # one school-month: 14 absence signals (shown), 3 bullying (hidden), 12 home
        for category, n in (("absence", 14), ("bullying", 3), ("home", 12)):
            SignalMonthCount.objects.create(
                school=cls.school, month=month, category=category, area="3081", count=n
            )
        cls.month = month
        cls.pupil = Pupil.objects.get(family=cls.jansen)
        cls.signal = Signal.objects.create(
            school=cls.school,
            pupil=cls.pupil,
            category="absence",
            observed_on=date.today(),
            observation="Afwezig.",
            author=cls.teacher,
        )
        cls.discussion = case_actions.create_discussion(
            cls.care,
            cls.school.pk,
            {"kind": "zat", "starts_at": timezone.now() + timedelta(days=1), "place": "A"},
            [cls.analyst],
        )
        cls.item = case_actions.add_item(cls.care, cls.discussion, cls.pupil)

    def test_it_shows_suppressed_figures_to_the_analyst_only(self):
        for user in (self.care, self.leader, self.admin, self.mentor, self.partner, self.outsider):
            self.login(user)
            self.assertEqual(self.client.get(reverse("patterns:page")).status_code, 403, user)
        self.login(self.analyst)
        response = self.client.get(reverse("patterns:page"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<td>&lt; 10</td>", html=False)
        self.assertContains(response, "<td>14</td>", html=False)
        self.assertNotContains(response, "<td>3</td>", html=False)
        self.assertNotContains(response, "Jansen")

    def test_it_never_lets_the_analyst_reach_a_family_pupil_signal_or_minutes(self):
        self.login(self.analyst)
        urls = [
            reverse("people:families"),
            reverse("people:family", args=[self.jansen.pk]),
            reverse("network:list"),
            reverse("network:signal", args=[self.signal.pk]),
            reverse("network:chronology", args=[self.pupil.pk]),
            reverse("network:counts"),
            reverse("cases:detail", args=[self.discussion.pk]),
            reverse("cases:minutes", args=[self.discussion.pk, self.item.pk]),
            reverse("cases:routes"),
            reverse("contacts:monitor"),
            reverse("audit:log"),
        ]
        for url in urls:
            with self.subTest(url=url):
                self.assertIn(self.client.get(url).status_code, (403, 404))
        # positive control: the care coordinator reaches them
        self.login(self.care)
        for url in urls[1:3] + urls[3:5] + urls[6:8]:
            self.assertEqual(self.client.get(url).status_code, 200, url)

    def test_it_downloads_exactly_what_the_page_shows_and_the_command_prints_the_same(self):
        self.login(self.analyst)
        csv_text = self.client.get(reverse("patterns:page") + "?formaat=csv").content.decode()
        self.assertIn("< 10", csv_text)
        self.assertNotIn(",3,", csv_text)
        out = StringIO()
        call_command("patterns", "--json", "--school", str(self.school.pk), stdout=out)
        data = json.loads(out.getvalue())
        page = figures.compute([self.school.pk])
        self.assertEqual(data["tables"], [t.as_dict() for t in page["tables"]])

    def test_it_protects_the_small_cell_against_total_minus_shown(self):
        data = figures.compute([self.school.pk], self.month)
        per_school = data["tables"][1].as_dict()
        row = per_school["rows"][0]
        # absence 14 shown? the month total 29 minus the shown cells must not give 3
        numbers = [int(c) for c in row[1:-1] if c.isdigit()]
        hidden = [c for c in row[1:-1] if not c.isdigit()]
        # the total minus the shown cells is the sum of the hidden ones: never one cell,
        # and never a sum that pins each of them down (all 0 or all 9)
        rest = int(row[-1]) - sum(numbers)
        self.assertGreaterEqual(len(hidden), 2)
        self.assertTrue(0 < rest < 9 * len(hidden))
        self.assertEqual(rest, 3)  # bullying 3 is among eight hidden cells, not alone


class PatternChartsTest(BaseTestCase):
    """The charts are drawn from the shown cells only: a hidden count changes nothing in
    any SVG on the page (not a bar, not a scale, not a title)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.analyst = make_user("analyst", school=cls.school, roles=[Role.NETWORK_ANALYST])
        make_user("analyst2", school=cls.other_school, roles=[Role.NETWORK_ANALYST])
        cls.analyst.memberships.create(school=cls.other_school, role=Role.NETWORK_ANALYST)
        cls.month = figures.completed_months()[-1]
        for school, category, n in (
            (cls.school, "absence", 24),
            (cls.school, "home", 31),
            (cls.other_school, "absence", 40),
            (cls.other_school, "home", 12),
        ):
            SignalMonthCount.objects.create(
                school=school, month=cls.month, category=category, area="3081", count=n
            )
        # the small cell: bullying at the first school, hidden as "< 10"
        cls.small = SignalMonthCount.objects.create(
            school=cls.school, month=cls.month, category="bullying", area="3081", count=3
        )

    def svgs(self) -> list[str]:
        import re

        self.login(self.analyst)
        response = self.client.get(reverse("patterns:page"))
        self.assertEqual(response.status_code, 200)
        found = re.findall(r"<svg.*?</svg>", response.content.decode(), re.S)
        # chart ids count up per process: compare without them
        return [re.sub(r"chart-(title|desc)-\d+", "chart-id", s) for s in found]

    def test_the_page_draws_charts_of_what_it_shows(self):
        charts = self.svgs()
        self.assertGreaterEqual(len(charts), 2)
        self.assertTrue(any("<rect" in svg for svg in charts))
        self.assertTrue(any(": 110</title>" in s for s in charts))  # the month's total

    def test_a_suppressed_cell_never_appears_in_a_chart(self):
        import re

        # A third school with 7 signals in the month: its total is hidden ("< 10").
        third = make_school("De Brug")
        self.analyst.memberships.create(school=third, role=Role.NETWORK_ANALYST)
        SignalMonthCount.objects.create(
            school=third, month=self.month, category="home", area="3082", count=7
        )
        self.login(self.analyst)
        page = self.client.get(reverse("patterns:page")).content.decode()
        self.assertIn("<td>&lt; 10</td>", page)
        tables = figures.compute(self.analyst_schools(), self.month)["tables"]
        charts = self.svgs()
        drawn = [int(v) for svg in charts for v in re.findall(r": (\d+)</title>", svg)]
        expected = []
        for t in tables:
            chart = t.chart()
            if chart is None:
                continue
            if t.key == "signals_per_month":
                cells = t.rows[-1][1]
            else:
                cells = [r[1][t.chart_column] for r in t.rows[: len(t.rows) - t.total_rows]]
            expected += [int(c) for c in cells if c.isdigit()]
        # every bar is a shown cell, and every shown cell has its bar
        self.assertEqual(sorted(drawn), sorted(expected))
        self.assertNotIn(7, drawn)
        self.assertIn(117, drawn)  # control: the month's shown total has its bar

    def analyst_schools(self):
        from bondgenoot import access

        access.forget_roles(self.analyst)
        return access.pattern_schools(self.analyst)

    def test_a_hidden_value_draws_no_bar(self):
        table = figures.Table(
            "t",
            "T",
            "School",
            ["Total"],
            [("A", ["12"]), ("B", ["< 10"]), ("C", ["•"]), ("D", ["30"])],
        )
        svg = str(table.chart())
        self.assertEqual(svg.count("<rect"), 2)
        self.assertNotIn("&lt; 10", svg)


class PatternCacheTest(BaseTestCase):
    def test_the_page_reads_cached_figures_until_a_ledger_changes(self):
        from unittest import mock

        from django.core.cache import cache
        from django.test import override_settings

        from bondgenoot.contacts.summary import bump_versions

        locmem = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
        with override_settings(CACHES=locmem):
            cache.clear()
            with mock.patch.object(figures, "compute", wraps=figures.compute) as compute:
                first = figures.cached([self.school.pk])
                self.assertEqual(figures.cached([self.school.pk]), first)
                self.assertEqual(compute.call_count, 1)  # the second came from the cache
                figures.cached([self.school.pk, self.other_school.pk])
                self.assertEqual(compute.call_count, 2)  # other schools, other figures
                bump_versions({self.school.pk})
                figures.cached([self.school.pk])
                self.assertEqual(compute.call_count, 3)  # a contact was written: afresh
            cache.clear()
