"""The tone coach: each kind of finding, its offsets, readability, markers, the data
files, and the tonecheck command."""

import io
import json
import sys

from django.core.management import call_command
from django.test import SimpleTestCase

from bondgenoot.lib import tonecoach
from bondgenoot.lib.tonecoach import check


def kinds(text):
    return [(f.kind, f.text) for f in check(text).findings]


class FindingsTest(SimpleTestCase):
    def test_jargon_with_inflections_compounds_and_abbreviations(self):
        self.assertEqual(
            kinds("Er zijn zorgsignalen over risicogedragingen; zie het OPP-gesprek."),
            [
                ("jargon", "zorgsignalen"),
                ("jargon", "risicogedragingen"),
                ("jargon", "OPP-gesprek"),
            ],
        )
        self.assertEqual(
            kinds("Het handelingsplannetje ligt klaar."), [("jargon", "handelingsplannetje")]
        )
        self.assertEqual(
            kinds("Na het multidisciplinaire overleg bellen we u."),
            [("jargon", "multidisciplinaire overleg")],
        )
        # "zat" is a verb, not the ZAT; case matters for abbreviations only.
        self.assertEqual(kinds("Hij zat naast Sara."), [])

    def test_alarm_needs_a_pattern_not_a_single_word(self):
        self.assertEqual(
            kinds("We maken ons ernstige zorgen."), [("alarm", "We maken ons ernstige zorgen")]
        )
        self.assertEqual(kinds("Wij zorgen voor koffie en thee."), [])
        self.assertEqual(
            [
                k
                for k, _t in kinds("Indien u niet tijdig reageert, nemen wij maatregelen te nemen.")
            ],
            ["alarm", "alarm"],
        )

    def test_offsets_stay_right_when_lower_case_changes_the_length(self):
        text = "İlse: indien u niet reageert, volgt een melding."
        findings = check(text).findings
        self.assertEqual(findings[0].kind, "alarm")
        for f in findings:
            self.assertEqual(text[f.start : f.end], f.text)

    def test_labels_are_whole_words(self):
        self.assertEqual(
            kinds("Hij was agressief en lui."), [("label", "agressief"), ("label", "lui")]
        )
        self.assertEqual(kinds("Hij is een agressieve jongen."), [("label", "agressieve")])
        self.assertEqual(kinds("Ze luisterde goed naar de uitleg."), [])

    def test_passive_with_worden_and_zijn_but_not_active_perfects(self):
        self.assertEqual(kinds("U wordt verzocht te komen."), [("passive", "wordt verzocht")])
        self.assertEqual(kinds("Gisteren is besloten om te gaan."), [("passive", "is besloten")])
        self.assertEqual(
            kinds("De brief moet worden opgehaald."), [("passive", "worden opgehaald")]
        )
        self.assertEqual(kinds("Noah is gisteren naar huis gegaan."), [])
        self.assertEqual(kinds("Ze is ziek."), [])
        self.assertEqual(kinds("Hij heeft zijn huiswerk gemaakt."), [])
        self.assertEqual(kinds("Sara is gezond."), [])

    def test_long_sentences_over_twenty_words(self):
        long = " ".join(["woord"] * 21) + "."
        self.assertEqual([k for k, _t in kinds(long)], ["long_sentence"])
        self.assertEqual(kinds(" ".join(["woord"] * 20) + "."), [])

    def test_offsets_point_at_the_text(self):
        text = "Beste ouders,\nU wordt verzocht het OPP te tekenen."
        for finding in check(text).findings:
            self.assertEqual(text[finding.start : finding.end], finding.text)

    def test_readability_and_level(self):
        easy = check("Wij bellen u op dinsdag. Is dat goed? Fijn dat u er bent.")
        self.assertGreater(easy.flesch_douma, 70)
        self.assertTrue(easy.b1_or_easier)
        hard = check(
            "Conform de geldende ondersteuningsstructuur wordt geïnventariseerd welke "
            "interventiemogelijkheden beschikbaar zijn binnen de multidisciplinaire context."
        )
        self.assertLess(hard.flesch_douma, 45)
        self.assertFalse(hard.b1_or_easier)

    def test_positive_markers(self):
        report = check("We nodigen u uit voor koffie. Samen kijken we wat helpt. Komt u dinsdag?")
        self.assertEqual(
            {m.kind for m in report.markers}, {"invitation", "shared_goal", "question"}
        )
        self.assertEqual(check("De school is dicht.").markers, [])


class DataFilesTest(SimpleTestCase):
    def test_every_lexicon_entry_has_an_explanation(self):
        for name, key in (
            ("jargon.toml", "term"),
            ("labels.toml", "term"),
            ("alarm.toml", "pattern"),
        ):
            for row in tonecoach._load(name)[key]:
                with self.subTest(row=row.get("term") or row.get("pattern")):
                    self.assertTrue(row["why"].strip())
        for row in tonecoach._load("jargon.toml")["term"]:
            self.assertTrue(row["replacement"].strip() and row["source"].strip())

    def test_inflections(self):
        self.assertIn("signalen", tonecoach.inflections("signaal"))
        self.assertIn("plannetje", tonecoach.inflections("plan"))


class CommandTest(SimpleTestCase):
    def run_command(self, text, *args):
        out = io.StringIO()
        stdin = sys.stdin
        sys.stdin = io.StringIO(text)
        try:
            call_command("tonecheck", *args, stdout=out)
        finally:
            sys.stdin = stdin
        return out.getvalue()

    def test_json_shape(self):
        data = json.loads(self.run_command("U wordt verzocht het ZAT te bellen.", "--json"))
        self.assertEqual(
            [(f["kind"], f["text"]) for f in data["findings"]],
            [("passive", "wordt verzocht"), ("jargon", "ZAT")],
        )
        self.assertEqual(set(data["findings"][0]), {"kind", "start", "end", "text", "suggestion"})
        self.assertIn("flesch_douma", data["readability"])

    def test_plain_output(self):
        self.assertIn("No findings.", self.run_command("Fijn dat u er was!"))
