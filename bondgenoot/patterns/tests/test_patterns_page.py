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
from bondgenoot.testing import BaseTestCase, make_user


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
