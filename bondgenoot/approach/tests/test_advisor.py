"""The approach advisor: when it suggests "absent", and which advice it gives."""

from datetime import timedelta
from unittest import mock

from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import timezone

from bondgenoot.approach import advisor, panels
from bondgenoot.approach.panels import MATCH_FACTS
from bondgenoot.lib.texts import placeholders
from bondgenoot.people.models import Situation
from bondgenoot.testing import BaseTestCase, add_contact, family_page

NOW = timezone.now()
LONG_AGO = NOW - timedelta(days=400)


class AbsentSuggestionTest(SimpleTestCase):
    def suggest(self, unreached, last_dialogue_days=None, known_days=400):
        last = NOW - timedelta(days=last_dialogue_days) if last_dialogue_days is not None else None
        return advisor.absent_suggestion(unreached, last, NOW - timedelta(days=known_days), NOW)

    def test_three_unreached_attempts_over_two_channels_suggest_absent(self):
        suggestion = self.suggest(["phone", "phone", "sms"], last_dialogue_days=10)
        self.assertEqual(suggestion.situation, Situation.ABSENT)
        self.assertIn("3", suggestion.reason)

    def test_three_attempts_over_one_channel_do_not(self):
        self.assertIsNone(self.suggest(["phone", "phone", "phone"], last_dialogue_days=10))

    def test_two_attempts_over_two_channels_do_not(self):
        self.assertIsNone(self.suggest(["phone", "sms"], last_dialogue_days=10))

    def test_eight_weeks_without_dialogue_suggest_absent(self):
        self.assertIsNotNone(self.suggest([], last_dialogue_days=56))
        self.assertIsNone(self.suggest([], last_dialogue_days=55))

    def test_a_new_family_without_contacts_is_not_absent_yet(self):
        self.assertIsNone(self.suggest([], last_dialogue_days=None, known_days=20))
        self.assertIsNotNone(self.suggest([], last_dialogue_days=None, known_days=60))


class AdviceDataTest(SimpleTestCase):
    """advice.toml is reviewed by people who do not read code: check it mechanically."""

    def test_every_entry_is_complete_and_uses_known_facts_and_placeholders(self):
        entries = advisor.load_advice()
        self.assertGreater(len(entries), 10)
        ids = [e["id"] for e in entries]
        self.assertEqual(len(ids), len(set(ids)), "advice ids must be unique")
        for entry in entries:
            with self.subTest(entry["id"]):
                self.assertTrue(set(entry["situations"]) <= set(Situation.values))
                self.assertIn(entry["when"], advisor.FACTS)
                self.assertTrue(entry["nl"].strip() and entry["en"].strip() and entry["source"])
                self.assertEqual(placeholders(entry["nl"]), placeholders(entry["en"]))
                self.assertTrue(placeholders(entry["nl"]) <= advisor.PLACEHOLDERS)

    def test_every_situation_always_gets_some_advice(self):
        for situation in Situation.values:
            advice = advisor.advice_for(situation, {}, "nl")
            self.assertTrue(advice, situation)

    def test_advice_is_given_in_the_interface_language(self):
        facts = {"no_positive_contact": True, "children": "Noah"}
        nl = {a.id: a.text for a in advisor.advice_for(Situation.ABSENT, facts, "nl")}
        en = {a.id: a.text for a in advisor.advice_for(Situation.ABSENT, facts, "en")}
        self.assertEqual(nl.keys(), en.keys())
        self.assertIn("positief eerste contact", nl["absent-first-positive"])
        self.assertIn("positive first contact", en["absent-first-positive"])
        self.assertIn("Noah", en["absent-first-positive"])

    def test_conditional_advice_follows_the_facts(self):
        ids = {a.id for a in advisor.advice_for(Situation.ABSENT, {}, "en")}
        self.assertNotIn("absent-first-positive", ids)
        self.assertNotIn("absent-key-figures-language", ids)
        facts = {
            "language_matches": ["Fatima Bouzid (Buurtmoeders)"],
            "shared_languages": ["Tamazight"],
            "postcode": "3081",
        }
        advice = {a.id: a.text for a in advisor.advice_for(Situation.ABSENT, facts, "en")}
        self.assertEqual(
            advice["absent-key-figures-language"],
            "Key figures who speak Tamazight, near postcode 3081: Fatima Bouzid (Buurtmoeders).",
        )


class FactsOnDemandTest(BaseTestCase):
    """The panel computes only the facts the situation's advice reads
    (``advisor.facts_read``): key figures are ranked for absent and denying families,
    not for the many regular ones."""

    def test_the_facts_read_are_all_the_advice_needs(self):
        every = {name: f"<{name}>" for name in advisor.FACTS + tuple(advisor.PLACEHOLDERS)}
        for situation in Situation.values:
            with self.subTest(situation):
                read = advisor.facts_read(situation)
                only = {name: value for name, value in every.items() if name in read}
                self.assertEqual(
                    advisor.advice_for(situation, only, "en"),
                    advisor.advice_for(situation, every, "en"),
                )
        self.assertFalse(advisor.facts_read(Situation.REGULAR) & MATCH_FACTS)
        self.assertTrue(advisor.facts_read(Situation.ABSENT) >= MATCH_FACTS | {"bridged"})

    def test_key_figures_are_ranked_only_when_the_advice_names_them(self):
        self.login(self.mentor)
        url = reverse("people:panel", args=[self.jansen.pk, "approach.situation"])
        for situation, ranked in (
            (Situation.REGULAR, False),
            (Situation.SENSITIVE, False),
            (Situation.DENYING, True),
            (Situation.ABSENT, True),
        ):
            self.jansen.situation = situation
            self.jansen.contact_person = self.mentor
            self.jansen.save()
            with (
                self.subTest(situation),
                mock.patch.object(panels, "matches_of", wraps=panels.matches_of) as matches,
                mock.patch.object(
                    panels, "open_bridges_of", wraps=panels.open_bridges_of
                ) as bridges,
            ):
                self.assertEqual(self.client.get(url, HTTP_HX_REQUEST="true").status_code, 200)
                self.assertEqual(matches.called, ranked)
                self.assertEqual(bridges.called, ranked)


class AdviceFromHistoryTest(BaseTestCase):
    """The family page's advice comes from that family's own ledger."""

    def advice_ids(self, family):

        self.login(self.mentor)
        response = family_page(self.client, family.pk)
        return {a.id for a in response.context["advice"]}

    def test_an_absent_family_without_a_positive_contact_gets_first_contact_advice(self):
        self.jansen.situation = Situation.ABSENT
        self.jansen.save()
        add_contact(self.jansen, self.mentor, days_ago=3, channel="phone", reached=False)
        ids = self.advice_ids(self.jansen)
        self.assertIn("absent-first-positive", ids)
        self.assertIn("absent-channels", ids)
        add_contact(self.jansen, self.mentor, days_ago=1, channel="home_visit", tone="positive")
        self.assertNotIn("absent-first-positive", self.advice_ids(self.jansen))

    def test_channels_not_tried_are_named(self):
        add_contact(self.jansen, self.mentor, days_ago=3, channel="phone", reached=False)
        labels = advisor.untried_channels(self.jansen, NOW - timedelta(days=30))
        self.assertNotIn("Phone call", [str(x) for x in labels])
        self.assertEqual(len(labels), 4)  # home visit, talk, informal moment, via a key figure

    def test_others_contacting_a_sensitive_case(self):
        self.jansen.contact_person = self.care
        self.jansen.situation = Situation.SENSITIVE
        self.jansen.save()
        add_contact(self.jansen, self.care, days_ago=2)
        self.assertEqual(advisor.others_contacting(self.jansen, timezone.now()), [])
        add_contact(self.jansen, self.mentor, days_ago=1)
        add_contact(self.jansen, self.mentor, days_ago=1)
        others = advisor.others_contacting(self.jansen, timezone.now())
        self.assertEqual([(p["id"], p["count"]) for p in others], [(self.mentor.pk, 2)])
        # Long ago does not count.
        add_contact(self.jansen, self.teacher, days_ago=120)
        self.assertEqual(len(advisor.others_contacting(self.jansen, timezone.now())), 1)
