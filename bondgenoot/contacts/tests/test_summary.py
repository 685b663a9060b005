"""The ledger summaries: the pure summarize() and the command that rebuilds them."""

from datetime import date, datetime, timedelta
from io import StringIO

from django.core.management import call_command
from django.test import SimpleTestCase
from django.utils import timezone

from bondgenoot.contacts.models import FamilyMonthSummary, FamilySummary, FamilyYearSummary
from bondgenoot.contacts.summary import Row, summarize
from bondgenoot.testing import BaseTestCase, add_contact


def at(year, month, day) -> datetime:
    return timezone.make_aware(datetime(year, month, day, 10, 0))


def row(when, **fields) -> Row:
    values = {
        "channel": "phone",
        "purpose": "informal",
        "tone": "neutral",
        "reached": True,
        "dialogue": True,
        "bulk": False,
        **fields,
    }
    return Row(at=when, **values)


class SummarizeTest(SimpleTestCase):
    def test_it_summarizes_an_empty_history(self):
        summary, years, months = summarize([])
        self.assertIsNone(summary["first_contact_at"])
        self.assertEqual((summary["unreached_streak"], years, months), (0, {}, {}))

    def test_it_splits_by_school_year_and_month(self):
        rows = [
            row(at(2025, 7, 30), tone="positive"),  # school year 2024
            row(at(2025, 8, 2), tone="positive"),  # school year 2025
            row(at(2025, 8, 20), tone="concern", purpose="worry"),
            row(at(2025, 9, 1), tone="positive", channel="email"),  # not personal
        ]
        summary, years, months = summarize(rows)
        self.assertEqual(years[2024]["first_positive_personal_at"], at(2025, 7, 30))
        self.assertEqual(years[2025]["first_positive_personal_at"], at(2025, 8, 2))
        self.assertEqual(
            months[date(2025, 8, 1)], {"positive": 1, "neutral": 0, "concern": 1, "reached": True}
        )
        self.assertEqual(summary["positive_before_worry"], 2)
        self.assertEqual(summary["first_worry_at"], at(2025, 8, 20))

    def test_it_ignores_order_of_input(self):
        rows = [
            row(at(2025, 10, d), reached=d != 5, channel="sms" if d == 9 else "phone")
            for d in (9, 1, 5)
        ]
        summary, _years, _months = summarize(rows)
        self.assertEqual(summary["unreached_streak"], 0)  # the 9th was reached
        summary, _years, _months = summarize(rows[1:])
        self.assertEqual(
            (summary["unreached_streak"], summary["unreached_channels"]), (1, ["phone"])
        )


class RefreshSummariesCommandTest(BaseTestCase):
    def test_it_rebuilds_what_the_actions_keep(self):
        add_contact(self.jansen, self.mentor, days_ago=40, tone="positive")
        add_contact(self.jansen, self.mentor, days_ago=3, reached=False)
        add_contact(self.el_amrani, self.care, days_ago=2, channel="letter", dialogue=False)
        before = (
            list(FamilySummary.objects.order_by("family_id").values()),
            list(
                FamilyYearSummary.objects.order_by("family_id", "school_year").values_list(
                    "family_id", "school_year", "first_positive_personal_at"
                )
            ),
            list(
                FamilyMonthSummary.objects.order_by("family_id", "month").values_list(
                    "family_id", "month", "positive", "reached"
                )
            ),
        )
        FamilySummary.objects.all().delete()
        FamilyMonthSummary.objects.all().delete()
        out = StringIO()
        call_command("refresh_summaries", stdout=out)
        self.assertIn("4 families", out.getvalue())
        after = (
            list(
                FamilySummary.objects.exclude(first_contact_at=None).order_by("family_id").values()
            ),
            list(
                FamilyYearSummary.objects.order_by("family_id", "school_year").values_list(
                    "family_id", "school_year", "first_positive_personal_at"
                )
            ),
            list(
                FamilyMonthSummary.objects.order_by("family_id", "month").values_list(
                    "family_id", "month", "positive", "reached"
                )
            ),
        )
        self.assertEqual(before, after)
        self.assertLess(
            timezone.now() - timedelta(days=41),
            FamilySummary.objects.get(family=self.jansen).last_positive_personal_at,
        )


class RefreshWritesOnlyWhatChangedTest(BaseTestCase):
    def rows(self):
        return (
            list(FamilySummary.objects.order_by("family_id").values()),
            list(FamilyYearSummary.objects.order_by("family_id", "school_year").values()),
            list(FamilyMonthSummary.objects.order_by("family_id", "month").values()),
        )

    def test_it_keeps_the_rows_of_months_a_new_contact_does_not_touch(self):
        from bondgenoot.contacts.summary import refresh

        old = add_contact(self.jansen, self.mentor, days_ago=100, tone="positive")
        add_contact(self.jansen, self.mentor, days_ago=70, tone="concern", purpose="worry")
        months_before = dict(
            FamilyMonthSummary.objects.filter(family=self.jansen).values_list("month", "pk")
        )
        add_contact(self.jansen, self.mentor, days_ago=0, channel="email", dialogue=False)
        months_after = dict(
            FamilyMonthSummary.objects.filter(family=self.jansen).values_list("month", "pk")
        )
        # The older months were left as they were (same rows), the new month was added.
        for month, pk in months_before.items():
            if month != timezone.localdate().replace(day=1):
                self.assertEqual(months_after[month], pk)
        self.assertEqual(len(months_after), len(months_before | months_after))
        # And the rows are what a rebuild from scratch makes, also after a deletion.
        old.delete()
        refresh([self.jansen.pk, self.el_amrani.pk])
        kept = self.rows()
        FamilySummary.objects.all().delete()
        FamilyYearSummary.objects.all().delete()
        FamilyMonthSummary.objects.all().delete()
        refresh([self.jansen.pk, self.el_amrani.pk])
        rebuilt = self.rows()
        strip = lambda rows: [{k: v for k, v in r.items() if k != "id"} for r in rows]  # noqa: E731
        self.assertEqual([strip(r) for r in kept], [strip(r) for r in rebuilt])
        self.assertTrue(kept[2])


class SummariesCarryTheirFamilysSchoolTest(BaseTestCase):
    """The monitor joins the summaries on the family's school as well (``with_year``):
    a summary with another school would count its family as never contacted."""

    def test_every_summary_is_written_with_its_familys_school(self):
        from bondgenoot.contacts.summary import refresh

        add_contact(self.jansen, self.mentor, days_ago=3, tone="positive")
        add_contact(self.visser, self.outsider, days_ago=2, tone="positive")
        expected = {self.jansen.pk: self.school.pk, self.visser.pk: self.other_school.pk}
        for rebuilt in (False, True):
            if rebuilt:
                FamilySummary.objects.all().delete()
                FamilyYearSummary.objects.all().delete()
                refresh(expected)
            with self.subTest(rebuilt=rebuilt):
                for model in (FamilySummary, FamilyYearSummary, FamilyMonthSummary):
                    self.assertEqual(
                        dict(model.objects.values_list("family_id", "school_id")), expected
                    )

    def test_the_monitor_counts_them_for_a_school_other_than_the_first(self):
        from bondgenoot.contacts.monitor import Period, compute
        from bondgenoot.people.models import Family
        from bondgenoot.people.schoolyear import current_school_year

        add_contact(self.visser, self.outsider, days_ago=2, tone="positive")
        monitor = compute(
            Family.objects.filter(school=self.other_school), Period.of(current_school_year()), []
        )
        self.assertEqual((monitor.families, monitor.positive), (1, 1))
