"""The relationship indicators, each against a family history built by hand."""

from datetime import timedelta

from django.test import override_settings
from django.utils import timezone

from bondgenoot.contacts.indicators import indicators_for
from bondgenoot.contacts.models import NextStep
from bondgenoot.people.models import Family
from bondgenoot.testing import BaseTestCase, add_contact


class IndicatorsTest(BaseTestCase):
    def indicators(self, family=None):
        family = family or self.jansen
        with_summary = Family.objects.select_related("summary").get(pk=family.pk)
        steps = NextStep.objects.counts_by_family([family.pk], timezone.localdate())
        return indicators_for(with_summary, steps.get(family.pk, (0, 0))), with_summary

    def test_it_has_no_figures_for_a_family_without_contacts(self):
        i, _ = self.indicators()
        self.assertIsNone(i.days_since_positive)
        self.assertFalse(i.first_was_worry)
        self.assertIsNone(i.positive_before_worry)
        self.assertEqual((i.unreached_streak, i.open_steps, i.overdue_steps), (0, 0, 0))
        self.assertFalse(i.one_way_only)

    def test_it_counts_days_since_the_last_positive_personal_contact(self):
        add_contact(self.jansen, self.mentor, days_ago=20, tone="positive")
        add_contact(self.jansen, self.mentor, days_ago=5, tone="positive")
        # Not counted: not personal, not reached, bulk, or not positive.
        add_contact(self.jansen, self.mentor, days_ago=1, tone="positive", channel="email")
        add_contact(self.jansen, self.mentor, days_ago=1, tone="positive", reached=False)
        add_contact(self.jansen, self.mentor, days_ago=1, tone="positive", bulk=True)
        add_contact(self.jansen, self.mentor, days_ago=1, tone="neutral")
        i, _ = self.indicators()
        self.assertEqual(i.days_since_positive, 5)

    def test_it_sees_that_the_first_contact_was_about_a_worry(self):
        add_contact(self.jansen, self.mentor, days_ago=30, purpose="worry", tone="concern")
        add_contact(self.jansen, self.mentor, days_ago=10, tone="positive")
        i, _ = self.indicators()
        self.assertTrue(i.first_was_worry)
        self.assertEqual(i.positive_before_worry, 0)

    def test_it_counts_positive_contacts_before_the_first_worry(self):
        add_contact(self.jansen, self.mentor, days_ago=60, tone="positive", channel="home_visit")
        add_contact(self.jansen, self.mentor, days_ago=50, tone="positive", channel="key_figure")
        add_contact(self.jansen, self.mentor, days_ago=45, tone="positive", channel="letter")
        add_contact(self.jansen, self.mentor, days_ago=40, purpose="worry", tone="neutral")
        add_contact(self.jansen, self.mentor, days_ago=30, tone="positive")
        i, _ = self.indicators()
        self.assertFalse(i.first_was_worry)
        self.assertEqual(i.positive_before_worry, 2)

    def test_it_counts_the_unreached_streak_since_the_last_reached_contact(self):
        add_contact(self.jansen, self.mentor, days_ago=40, reached=False)
        add_contact(self.jansen, self.mentor, days_ago=30)  # reached: the streak starts after
        add_contact(self.jansen, self.mentor, days_ago=20, reached=False, channel="phone")
        add_contact(self.jansen, self.mentor, days_ago=10, reached=False, channel="sms")
        add_contact(self.jansen, self.mentor, days_ago=5, reached=False, channel="home_visit")
        add_contact(self.jansen, self.mentor, days_ago=3, channel="email", bulk=True)  # ignored
        i, _annotated = self.indicators()
        self.assertEqual(i.unreached_streak, 3)
        self.assertTrue(i.unreached_alarm)
        self.assertEqual(i.unreached_channels, ["Huisbezoek", "Sms-bericht", "Telefoongesprek"])

    def test_it_counts_a_streak_when_the_family_was_never_reached(self):
        add_contact(self.jansen, self.mentor, days_ago=9, reached=False)
        add_contact(self.jansen, self.mentor, days_ago=2, reached=False)
        self.assertEqual(self.indicators()[0].unreached_streak, 2)

    @override_settings(TRUST_ONE_WAY_WEEKS=8)
    def test_it_sees_one_way_only_contact(self):
        add_contact(self.jansen, self.mentor, days_ago=70, channel="phone")  # too long ago
        add_contact(self.jansen, self.mentor, days_ago=20, channel="email", dialogue=False)
        add_contact(self.jansen, self.mentor, days_ago=10, channel="letter", dialogue=False)
        i, _ = self.indicators()
        self.assertTrue(i.one_way_only)
        add_contact(self.jansen, self.mentor, days_ago=3, channel="app", dialogue=True)
        self.assertFalse(self.indicators()[0].one_way_only)

    def test_it_counts_open_and_overdue_next_steps(self):
        today = timezone.localdate()
        for due, done in (
            (today - timedelta(days=2), False),
            (today, False),
            (today + timedelta(days=3), False),
            (today - timedelta(days=9), True),
        ):
            NextStep.objects.create(
                family=self.jansen,
                what="x",
                owner=self.mentor,
                created_by=self.mentor,
                due=due,
                done_at=timezone.now() if done else None,
            )
        i, _ = self.indicators()
        self.assertEqual((i.open_steps, i.overdue_steps), (3, 1))

    def test_it_keeps_families_apart(self):
        add_contact(self.el_amrani, self.care, days_ago=2, reached=False)
        add_contact(self.el_amrani, self.care, days_ago=2, tone="positive")
        i, _ = self.indicators(self.jansen)
        self.assertEqual((i.unreached_streak, i.days_since_positive), (0, None))

    def test_step_counts_refuse_a_filtered_queryset(self):
        # They count every open step of the families: a filter would be ignored.
        with self.assertRaises(TypeError):
            NextStep.objects.filter(owner=self.mentor).counts_by_family([self.jansen.pk], None)
        self.assertEqual(NextStep.objects.counts_by_family([self.jansen.pk], None), {})
