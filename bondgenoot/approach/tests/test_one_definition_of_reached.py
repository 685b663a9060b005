"""The indicator "attempts in a row without reaching the family" and the advisor's
"absent" suggestion use one definition of reaching a family: a conversation. A later
one-way letter does not reset the indicator to 0 while the advisor proposes "absent"."""

from __future__ import annotations

from bondgenoot.approach import advisor
from bondgenoot.contacts.indicators import indicators_for
from bondgenoot.contacts.models import FamilySummary
from bondgenoot.people.models import Family
from bondgenoot.testing import BaseTestCase, add_contact, family_page


class OneDefinitionTestCase(BaseTestCase):
    def attempts_then(self, **last):
        for days, channel in ((25, "phone"), (20, "sms"), (15, "phone")):
            add_contact(self.jansen, self.mentor, days_ago=days, channel=channel, reached=False)
        add_contact(self.jansen, self.mentor, days_ago=5, **last)

    def test_a_one_way_letter_does_not_end_the_streak(self):
        self.attempts_then(channel="letter", reached=True, dialogue=False, tone="neutral")
        family = Family.objects.select_related("summary").get(pk=self.jansen.pk)
        self.assertEqual(indicators_for(family).unreached_streak, 3)
        summary = FamilySummary.objects.get(family=self.jansen)
        unreached = advisor.unreached_recent(self.jansen, _now(), summary.last_dialogue_at)
        self.assertEqual(len(unreached), 3)
        self.assertIsNotNone(
            advisor.absent_suggestion(
                unreached, summary.last_dialogue_at, self.jansen.created_at, _now()
            )
        )

    def test_a_conversation_ends_both(self):
        # Positive control: a call in which we talked resets the indicator and the advice.
        self.attempts_then(channel="phone", reached=True, dialogue=True, tone="positive")
        family = Family.objects.select_related("summary").get(pk=self.jansen.pk)
        self.assertEqual(indicators_for(family).unreached_streak, 0)
        summary = FamilySummary.objects.get(family=self.jansen)
        unreached = advisor.unreached_recent(self.jansen, _now(), summary.last_dialogue_at)
        self.assertEqual(unreached, [])
        self.assertIsNone(
            advisor.absent_suggestion(
                unreached, summary.last_dialogue_at, self.jansen.created_at, _now()
            )
        )

    def test_the_family_page_shows_both_agreeing(self):
        self.attempts_then(channel="letter", reached=True, dialogue=False, tone="neutral")
        self.login(self.mentor)
        page = family_page(self.client, self.jansen.pk)
        self.assertEqual(page.context["indicators"].unreached_streak, 3)
        self.assertContains(page, "3 pogingen in de afgelopen 30 dagen bereikten het gezin niet")


def _now():
    from django.utils import timezone

    return timezone.now()
