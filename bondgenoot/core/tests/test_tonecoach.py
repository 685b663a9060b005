"""The tone coach: each kind of finding, its offsets, readability, markers, the data
files, and the tonecheck command."""

import io
import json
import sys
import time

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
        # "Indien" is officialese too (jargon); the alarm is the ultimatum and the measures.
        self.assertEqual(
            [
                k
                for k, _t in kinds("Indien u niet tijdig reageert, nemen wij maatregelen te nemen.")
                if k == "alarm"
            ],
            ["alarm", "alarm"],
        )

    def test_offsets_stay_right_when_lower_case_changes_the_length(self):
        text = "İlse: indien u niet reageert, volgt een melding."
        findings = check(text).findings
        self.assertIn("alarm", [f.kind for f in findings])
        for f in findings:
            self.assertEqual(text[f.start : f.end], f.text)

    def test_labels_are_whole_words(self):
        self.assertEqual(
            kinds("Hij was agressief en lui."), [("label", "agressief"), ("label", "lui")]
        )
        self.assertEqual(
            kinds("Hij is een agressieve jongen."),
            [("label", "agressieve")],
        )
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


class GeneralisationTest(SimpleTestCase):
    """Issue 18: wording that is in no lexicon, found by frequency, morphology and the
    shape of the sentence."""

    def found(self, text, kind):
        return [f.text for f in check(text).findings if f.kind == kind]

    def test_it_finds_jargon_by_frequency_compounds_and_shape(self):
        self.assertEqual(self.found("De gezinsvoogd belt u morgen.", "jargon"), ["gezinsvoogd"])
        self.assertEqual(
            self.found("Er komt een zorgaanbieder langs.", "jargon"), ["zorgaanbieder"]
        )
        self.assertEqual(self.found("Het CJG belt u.", "jargon"), ["CJG"])
        self.assertEqual(self.found("Graag z.s.m. reageren.", "jargon"), ["z.s.m."])
        self.assertEqual(self.found("Teneinde dit te regelen, bellen we.", "jargon"), ["Teneinde"])

    def test_it_keeps_everyday_words_and_compounds_clean(self):
        for text in (
            "Vrijdag is de kerstviering in de gymzaal.",
            "Wie helpt er met het knutselproject?",
            "Inmiddels is de schoolreis betaald door bijna iedereen.",
            "De GGD komt op school voor de vaccinaties.",
            "De zorgcoördinator belt u deze week.",
        ):
            with self.subTest(text=text):
                self.assertEqual(self.found(text, "jargon"), [])

    def test_it_finds_passives_by_morphology_in_every_tense_and_modal_form(self):
        for text, expected in (
            ("Het formulier moet worden ingevuld.", "worden ingevuld"),
            ("Gisteren is besloten dat we gaan.", "is besloten"),
            ("Dit zou kunnen worden besproken.", "worden besproken"),
            ("Het rapport is naar alle ouders opgestuurd.", "is naar alle ouders opgestuurd"),
            ("Er werd afgesproken dat hij mag bewegen.", "werd afgesproken"),
            ("Het moet door u worden ondertekend.", "worden ondertekend"),
            ("De gymles is verplaatst naar donderdag.", "is verplaatst"),
            ("De foto's zijn geüpload.", "zijn geüpload"),
        ):
            with self.subTest(text=text):
                self.assertEqual(self.found(text, "passive"), [expected])
        for text in (
            "Ze is gisteren naar Turkije vertrokken.",
            "Hij is teruggekomen van vakantie.",
            "Hij vertelt wat er is.",
            "Ze is verkouden.",
        ):
            with self.subTest(text=text):
                self.assertEqual(self.found(text, "passive"), [])

    def test_it_finds_labels_by_the_shape_of_the_sentence(self):
        for text, expected in (
            ("Uw zoon is een echte pester.", "Uw zoon is een echte pester"),
            ("Je kind heeft ADHD, dat merken we.", "Je kind heeft ADHD"),
            ("Uw dochter is ontzettend onbeleefd.", "onbeleefd"),  # a label on its own
            ("Uw zoon is erg druk in de klas.", "Uw zoon is erg druk"),
        ):
            with self.subTest(text=text):
                self.assertEqual(self.found(text, "label"), [expected])
        self.assertEqual(self.found("Daan is een winkeldief.", "label"), ["Daan is een winkeldief"])
        self.assertEqual(self.found("Er was een drugsverslaafde.", "label"), ["drugsverslaafde"])
        for text in (
            "Uw zoon is een echte doorzetter.",
            "Hij is druk bezig met zijn werkstuk.",
            "Kinderen met dyslexie krijgen meer tijd.",
        ):
            with self.subTest(text=text):
                self.assertEqual(self.found(text, "label"), [])

    def test_it_finds_alarm_by_shape_not_wording(self):
        for text in (
            "Als u uw kind niet op tijd brengt, dan moeten wij dit melden.",
            "U dient het formulier in te leveren.",
            "Wij rekenen erop dat u komt.",
            "Dit is absoluut niet acceptabel.",
            "Neemt u dringend contact op.",
            "De situatie is zorgwekkend.",
            "Zorg ervoor dat uw kind een lunch heeft.",
        ):
            with self.subTest(text=text):
                self.assertTrue(self.found(text, "alarm"))
        for text in (
            "Moet u nog iets weten? Bel gerust.",
            "Opa is ernstig ziek, daarom was ze er niet.",
            "Wij zorgen voor koffie.",
        ):
            with self.subTest(text=text):
                self.assertEqual(self.found(text, "alarm"), [])


class SuggestionTest(SimpleTestCase):
    """Issue 18: a one-click replacement only where the sentence stays grammatical;
    otherwise an example to rewrite from."""

    def accept(self, text, term):
        (finding,) = [f for f in check(text).findings if f.text == term]
        if not finding.replacement:
            return None, finding
        return text[: finding.start] + finding.replacement + text[finding.end :], finding

    def test_it_offers_no_one_click_that_breaks_the_sentence(self):
        # The known bug: "… over het gedrag waar we ons zorgen over maken van uw zoon".
        text = "We maken ons zorgen over het risicogedrag van uw zoon."
        result, finding = self.accept(text, "risicogedrag")
        self.assertIsNone(result)
        self.assertTrue(finding.example)
        self.assertIn("gedrag waar we ons zorgen over maken", finding.suggestion)
        for text, term in (
            ("Er zijn zorgsignalen.", "zorgsignalen"),  # plural: no agreement
            ("Het ZAT-overleg is dinsdag.", "ZAT-overleg"),  # a compound
            ("De intake is dinsdag.", "intake"),  # "de kennismakingsgesprek"
            ("Dat is een interventie.", "interventie"),  # "een hulp"
            ("Het nieuwe handelingsplan ligt klaar.", "handelingsplan"),  # adjective between
            ("Hier is een zorgsignaal.", "zorgsignaal"),  # "een iets wat ons opviel"
        ):
            with self.subTest(text=text):
                self.assertEqual(self.accept(text, term)[0], None)

    def test_it_offers_one_click_where_the_replacement_fits_whole_sentences(self):
        for text, term, expected in (
            (
                "Het handelingsplan ligt klaar.",
                "handelingsplan",
                "Het plan met afspraken ligt klaar.",
            ),
            ("Indien u wilt, bellen we.", "Indien", "Als u wilt, bellen we."),
            (
                "Het OPP wordt besproken.",
                "OPP",
                "Het plan voor de ontwikkeling van uw kind wordt besproken.",
            ),
            ("Conform de afspraak bellen we.", "Conform", "Volgens de afspraak bellen we."),
            ("Dit is de casus.", "casus", "Dit is de situatie."),
            ("We bellen i.v.m. de reis.", "i.v.m.", "We bellen vanwege de reis."),
        ):
            with self.subTest(text=text):
                self.assertEqual(self.accept(text, term)[0], expected)


class ReadabilityTest(SimpleTestCase):
    def test_it_gives_a_difficulty_level_beside_flesch_douma(self):
        easy = check("Wij bellen u op dinsdag. Is dat goed? Fijn dat u er bent.")
        hard = check(
            "Conform de geldende ondersteuningsstructuur wordt geïnventariseerd welke "
            "interventiemogelijkheden beschikbaar zijn binnen de multidisciplinaire context."
        )
        self.assertLess(easy.difficulty, hard.difficulty)
        self.assertLessEqual(easy.difficulty_level, 2)
        self.assertGreaterEqual(hard.difficulty_level, 3)

    def test_it_gives_no_good_verdict_while_findings_remain(self):
        self.assertEqual(check("Wij bellen u op dinsdag. Fijn dat u er bent.").verdict, "good")
        report = check("Wij bellen u. We maken ons ernstige zorgen. Het ZAT belt ook.")
        self.assertTrue(report.b1_or_easier)
        self.assertEqual(report.verdict, "findings")


class LinearTest(SimpleTestCase):
    """The security finding: the cost must not grow with the square of the length.
    Only the first MAX_CHARS characters are checked (documented in the module)."""

    def timed(self, text):
        # CPU time of this process, best of five: other work on a shared machine (CI
        # legs, other processes) does not count, a quadratic cost still shows (16x).
        best = float("inf")
        for _ in range(5):
            started = time.process_time()
            report = check(text)
            best = min(best, time.process_time() - started)
        return best, report

    def test_it_checks_one_huge_word_and_a_megabyte_well_under_a_second(self):
        check("Hallo.")  # load the lexicons first
        seconds, report = self.timed("a" * 200_000)
        self.assertLess(seconds, 0.5)
        self.assertTrue(report.truncated)
        sentence = "Wij maken ons zorgen over het risicogedrag en het OPP wordt besproken. "
        seconds, report = self.timed(sentence * (1_000_000 // len(sentence)))
        self.assertLess(seconds, 0.5)
        self.assertTrue(report.truncated)

    def test_it_takes_time_in_proportion_to_the_length(self):
        sentence = "Uw zoon is een pester en indien u niet komt, dan melden we het. "
        check(sentence)
        small, _ = self.timed(sentence * 60)  # about 4,000 characters
        large, report = self.timed(sentence * 240)  # about 16,000, under the cap
        self.assertFalse(report.truncated)
        self.assertLess(large / small, 8)  # linear: about 4; quadratic: about 16
        word_small, _ = self.timed("b" * 4_000)
        word_large, _ = self.timed("b" * 16_000)
        self.assertLess(word_large, 0.1)
        self.assertLess(word_large / max(word_small, 1e-3), 8)


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


class SecondRoundTest(SimpleTestCase):
    """Issue 18, second round: alarm and labels in wording and sentence shapes that no
    list names; the near misses beside them must stay clean."""

    def found(self, text, kind):
        return [f.text for f in check(text).findings if f.kind == kind]

    def test_ultimatums_threats_and_demands_by_shape(self):
        for text in (
            "Zolang het formulier niet binnen is, kan uw dochter niet mee op kamp.",
            "Tenzij wij vandaag iets van u horen, schakelen wij de leerplichtambtenaar in.",
            "Komt Mila morgen weer te laat, dan zijn wij gedwongen dit door te geven.",
            "Bij een volgende keer doen wij aangifte.",
            "Zonder bericht vóór maandag volgt een verzuimmelding.",
            "Wij verwachten dat u het geld uiterlijk vrijdag overmaakt.",
            "Lever het toestemmingsformulier onmiddellijk in.",
            "Een uitschrijving behoort dan tot de mogelijkheden.",
        ):
            with self.subTest(text=text):
                self.assertTrue(self.found(text, "alarm"))

    def test_reproach_absolutes_and_alarming_families(self):
        for text in (
            "U heeft opnieuw niet gereageerd op onze brief.",
            "Jullie reageren nooit op onze berichten.",
            "Alweer zat hij zonder gymspullen in de zaal.",
            "Het gedrag in de klas is volstrekt ontoelaatbaar.",
            "De ruzie op het plein dreigt te escaleren.",
            "Er is crisisoverleg geweest over de groep.",
            "Het wordt tijd dat u eindelijk eens uw mail leest.",
            "Wij houden u verantwoordelijk voor de kapotte ruit.",
        ):
            with self.subTest(text=text):
                self.assertTrue(self.found(text, "alarm"))

    def test_alarm_near_misses_stay_clean(self):
        for text in (
            "Als u niet kunt komen, laat het ons dan even weten.",
            "Als het niet lukt om te betalen, dan zoeken we samen een oplossing.",
            "Zolang het regent, blijven de kinderen binnen.",
            "U kunt zich uiterlijk vrijdag aanmelden voor de sportdag.",
            "Hij heeft weer prachtig gezongen bij de musical.",
            "U bent altijd welkom om even binnen te lopen.",
            "De politie komt een verkeersles geven in groep 8.",
            "Het rooster is volledig vernieuwd.",
            "Opnieuw bedankt voor uw hulp bij het schoolreisje!",
            "We hebben vorige week een ziekmelding doorgegeven aan de GGD.",
            "In de schoolgids staat wanneer een schorsing kan volgen.",
            "Er is geen crisis: de bus komt gewoon een kwartier later.",
        ):
            with self.subTest(text=text):
                self.assertEqual(self.found(text, "alarm"), [])

    def test_labels_in_other_sentence_shapes(self):
        for text in (
            "Uw zoon gedraagt zich als een echte bullebak.",
            "Thijs staat bij iedereen bekend als de pestkop van groep 7.",
            "Volgens de juf is uw zoon een notoire spijbelaar.",
            "We merken dat uw dochter erg achterbaks is.",
            "U bent een onverantwoordelijke ouder.",
            "Die jongen deugt gewoon niet.",
            "Hij is een gluiperd.",
            "Noor is een klein dievegje.",
            "Een dief als uw zoon past niet in deze groep.",
            "Mees is een typisch ADHD-kind.",
            "Hij is een echte bendeleider.",
            "Wat een verwend nest is die Femke.",
        ):
            with self.subTest(text=text):
                self.assertTrue(self.found(text, "label"))

    def test_label_near_misses_stay_clean(self):
        for text in (
            "Uw zoon is een harde werker.",
            "Ze is een echte doorzetter en erg behulpzaam.",
            "Hij sloeg gisteren een klasgenoot in de pauze.",
            "U vertelde dat Sara dyslexie heeft.",
            "Noah heeft ADHD, zo vertelde u bij de intake.",
            "Hij speelt de boef in de musical.",
            "Hij vertelde dat hij een dief had gezien bij de fietsenstalling.",
            "Ze is een echte lezer en verslindt boeken.",
            "Sam is een goede voetballer.",
            "Het was niet slim om zonder jas naar buiten te gaan.",
            "Hij is slecht in rekenen, dus we oefenen extra.",
        ):
            with self.subTest(text=text):
                self.assertEqual(self.found(text, "label"), [])


class ThirdRoundTest(SimpleTestCase):
    """Issue 18, third round: general mechanisms (word formation, sentence shapes,
    pressure and finality) tried on sentences no set holds; near misses stay clean."""

    def found(self, text, kind):
        return [f.text for f in check(text).findings if f.kind == kind]

    def test_judging_words_by_word_formation(self):
        for text in (
            "Ze is een ontzettend zeurderig meisje.",  # zeur-d-erig
            "Hij is nogal huilerig de laatste tijd.",  # -erig on a verb for whining
            "Uw zoon is werkelijk onuitstaanbaar in de klas.",  # degree adverb, on-…-baar
            "Uw kind is onhebbelijk tegen de overblijfkrachten.",  # known on- word
            "Daan is een echte slappeling.",  # -eling on a judging adjective
            "Hij is een angsthaas.",  # an animal for a person
            "Ze is een zeur.",  # the bare stem of a verb for whining
            "Jullie zoon is heerszuchtig.",  # -zuchtig
            "Hij is een pestertje.",  # diminutive of an agent noun
        ):
            with self.subTest(text=text):
                self.assertTrue(self.found(text, "label"))

    def test_judging_adjective_or_scornful_modifier_before_a_person(self):
        for text in (
            "Zo'n brutaal ventje hebben we nog niet eerder gehad.",
            "Het gaat om uw lastige zoon.",
            "De koppige Bram wilde niet mee naar buiten.",
            "Hij is gewoon een slechte leerling.",
            "Die kleine kleptomaan zat weer aan mijn spullen.",
            "Onze slimme dealer verkoopt op het plein.",
            "Ze is de klier van de klas.",
            "Hij speelt de rol van belhamel.",
            "Met zulke gemakzuchtige ouders lukt het niet.",
            "Het is een ongemotiveerde student.",
        ):
            with self.subTest(text=text):
                self.assertTrue(self.found(text, "label"))

    def test_label_near_misses_stay_clean(self):
        for text in (
            "Hij is in een moeilijke periode, we letten extra op hem.",
            "Het zieke kind is naar huis gegaan.",
            "De nieuwe leerling heet Sam.",
            "Uw kleine meid deed het super bij de musical.",
            "Het ongeoorloofd verzuim van Sara is besproken.",
            "Hij is slecht in rekenen, dus we oefenen extra.",
            "Zij is onbereikbaar tijdens haar stage, zei ze.",
            "De boef in het toneelstuk werd gespeeld door Sem.",
            "Hij is slaperig na de gymles.",
        ):
            with self.subTest(text=text):
                self.assertEqual(self.found(text, "label"), [])

    def test_pressure_finality_and_sarcasm(self):
        for text in (
            "We hebben u hier al drie keer op gewezen.",  # counted repetition
            "Dit is de vierde keer deze maand dat hij zijn boeken vergeet.",
            "Voor de laatste keer: neem de gymtas mee.",
            "U weet toch dat de deur om half negen dichtgaat?",  # rhetorical toch
            "Moet ik u nu echt elke week herinneren aan de bijdrage?",
            "Ik ben het eerlijk gezegd zat om dit steeds te vragen.",
            "Wij hebben er genoeg van.",
            "Hier gaan we niet meer over in discussie.",
            "Geen handtekening, geen schoolreis.",
            "Betaal het bedrag voor vrijdag, anders schrijven wij uw kind uit voor de reis.",
            "Zoals u ongetwijfeld weet, begint de les om half negen.",
            "Blijkbaar is het thuis niet belangrijk dat hij op tijd komt.",
            "Andere ouders lukt het wel om op tijd te betalen.",
            "Zorg dat hij morgen zijn spullen bij zich heeft.",
            "Dit moet nu stoppen.",
            "Hij mag vanaf maandag niet meer mee naar de gymles.",
            "Vanaf morgen wordt hij bij elke ruzie uit de groep gehaald.",
            "Dit soort taalgebruik pikken wij niet langer.",
            "Gebeurt het nog een keer, dan melden wij het bij de gemeente.",  # verb-first
            "Uw dochter wordt uitgesloten van het kamp als de bijdrage niet binnen is.",
            "Hij heeft wéér geen gymspullen mee.",
            "Het moet NU opgelost worden.",
            "Ondanks herhaalde waarschuwingen is er niets veranderd.",
            "U bent een lakse ouder.",  # a label said to the parent is also a reproach
        ):
            with self.subTest(text=text):
                self.assertTrue(self.found(text, "alarm"))

    def test_alarm_near_misses_stay_clean(self):
        for text in (
            "Hij heeft al drie keer een tien gehaald voor spelling!",
            "We hebben drie keer per week gym.",
            "Het is de tweede keer dat we een musical maken, en we hebben er zin in.",
            "Wij hebben meerdere keren fijn met u gesproken.",
            "Jullie komen toch ook naar de musical?",
            "Lukt betalen niet, neem dan gerust contact op met de directeur.",
            "Praat u er thuis ook eens over?",
            "Zoals u weet, is de school op vrijdagmiddag dicht.",
            "Eindelijk heeft hij zijn zwemdiploma gehaald!",
            "Hij leest steeds beter en vaker uit zichzelf.",
            "Ze vergeet nooit haar gymspullen.",
            "Morgen wil ik graag even met u bellen over het rapport.",
            "Jullie dochter is een doorzetter.",
            "U wordt verwacht bij het ZAT op donderdag.",
        ):
            with self.subTest(text=text):
                self.assertEqual(self.found(text, "alarm"), [])

    def test_final_round_shapes(self):
        for text in (
            "Zonder uw handtekening voor maandag kan Sem niet mee op excursie.",
            "Als het geld niet binnen is, gaat Noah niet mee op kamp.",
            "Bij nog een vechtpartij vliegt hij van school.",
            "Dit is echt de allerlaatste kans.",
            "Met deze inzet haalt hij zijn diploma nooit.",
            "Ik heb het helemaal gehad met de smoesjes.",
        ):
            with self.subTest(text=text):
                self.assertTrue(self.found(text, "alarm"))
        for text in (
            "Wij zien hem als een meeloper.",
            "Ze staat bekend als spiekster.",
            "Hij is een dealer in wording.",
            "Hij is de pias van de klas.",
            "Dat meelopertje liep weer achter de groep aan.",
            "Hij is een echte wapenfreak.",
        ):
            with self.subTest(text=text):
                self.assertTrue(self.found(text, "label"))

    def test_final_round_near_misses(self):
        for text in (
            "Ik ben de leerplichtambtenaar en ik denk graag met u mee.",
            "U kunt binnen zes weken bezwaar maken tegen de schorsing.",
            "Hij heeft het gisteren gehad over zijn vakantie.",
            "Als u niet kunt komen, gaan we gewoon een andere dag zoeken.",
        ):
            with self.subTest(text=text):
                self.assertEqual(self.found(text, "alarm"), [])
        for text in (
            "Ze is een kunstenaar in de dop.",
            "Hij is de leider van het project over water.",
            "Het schoolhoofd komt ook naar de musical.",
            "Wij zien hem als een harde werker.",
        ):
            with self.subTest(text=text):
                self.assertEqual(self.found(text, "label"), [])


class FourthRoundTest(SimpleTestCase):
    """Label shapes of the fourth round (dev4): whole sentences of our own, each shape
    with near misses that stay clean."""

    def found(self, text, kind):
        return [f.text for f in check(text).findings if f.kind == kind]

    def test_label_shapes_of_the_fourth_round(self):
        for text in (
            # comparisons
            "Tijdens de pauze gedroeg Wout zich als een peuter van twee.",
            "In de zaal is Mila net een wervelwind.",
            "Bij het rekenen doet hij soms als een klein professortje.",
            # report-comment fragments without a verb, also after "Rapport:"
            "Onrustige jongen, weinig inzet.",
            "Rapport handvaardigheid: Storend element.",
            "Overdracht: Typisch zorgkind.",
            "Daan = chaoot.",
            # appositions and nicknames
            "Gijs, onze kleine wervelwind, viel vandaag van de bank.",
            "In de klas noemen we Tess 'Miss Paniek', omdat ze snel schrikt.",
            # conditions as an identity, also as a compound or a derivation
            "Onze stotteraar deed vandaag mee met het voorlezen.",
            "Naast hem zat het epilepsiemeisje uit groep 5.",
            "Hij is een echte dyslecticus.",
            # hedges, dismissive negation, rankings and predictions
            "Tim is nogal een mietje bij het trefbal.",
            "Sara is een beetje een grijze muis in de klas.",
            "Hij is gewoon geen gymnasiast.",
            "Eerlijk gezegd is Bas niet de snelste van de groep.",
            "Hij wordt nooit een echte voetballer.",
            "Met die jongen loopt het nog slecht af.",
            "Hij eindigt nog eens in de gevangenis.",
            "Van hem verwacht ik eigenlijk niets meer.",
            "Hij is een van die kinderen die overal een grap van maken.",
            # parents
            "Moeder is erg overbezorgd.",
            "Zoals u weet is vader een alcoholist.",
            "Hij is een afwezige vader.",
            # English loanwords and slang
            "Uw dochter is een echte quitter.",
            "Ze is een beetje een drama queen.",
            "Hij is soms wel lazy.",
            "Die rotjochies zaten weer op het dak.",
            "Sanne is een slechte eter.",
            "Ze is een typische havo-leerling.",
            "Hij is zo'n kletskous die nooit stil is.",
            "Uw zoon is een ezel als het om opruimen gaat.",
        ):
            with self.subTest(text=text):
                self.assertTrue(self.found(text, "label"))

    def test_fourth_round_near_misses_stay_clean(self):
        for text in (
            "Ze sliep na het kamp als een baby.",
            "Als een kind ziek is, belt u dan voor half negen.",
            "Hij werkt in de klas als een echte onderzoeker.",
            "Ze is de snelste van de klas op de 60 meter.",
            "Hij is niet de eerste die dit vraagt.",
            "Moeder belde vanochtend over de tandarts.",
            "Vader is vandaag jarig.",
            "Aardige jongen, werkt goed mee.",
            "Nieuwe leerling in groep 5: welkom!",
            "Jordy is dit jaar klassenvertegenwoordiger van 3B.",
            "Finn heeft dyslexie. Bij toetsen mag hij de teksten laten voorlezen.",
            "Mats heeft ADHD en gebruikt medicatie.",
            "Hij is een goede lezer en een fijne vader voor zijn broertje.",
            "U bent een betrokken ouder, dat merken we.",
            "Kai stottert en deed toch mee met de spreekbeurt.",
            "Dit is een moeilijke letter voor veel kinderen.",
            "Groep 8 = op schoolreis.",
            "We noemen dat spel 'de zandbak'.",
            "Het werd niks gedaan aan de kapotte lamp, dus ik bel morgen.",
            "Hij is een echte doorzetter en een fijne teamspeler.",
            "Het was een typische regendag, dus we bleven binnen.",
            "Dit is een typisch voorbeeld van samenwerking.",
            "Hij is een beest op het veld, wat een inzet!",
        ):
            with self.subTest(text=text):
                self.assertEqual(self.found(text, "label"), [])


class FifthRoundTest(SimpleTestCase):
    """Shapes and precision fixes of the fifth round (tuned on dev5's first half, dev2,
    dev3a and dev3b): sentences of our own, each rule with near misses that stay clean."""

    def found(self, text, kind):
        return [f.text for f in check(text).findings if f.kind == kind]

    def test_person_types_after_is_een_are_labels(self):
        for text in (
            "Noor is een echte Fries: koppig als wat.",  # "een echte X": a stereotype
            "Ze zijn echte patsers, allebei.",  # "echte Xs", no article
            "Mees is een fantast die alles overdrijft.",  # -ast/-ist
            "Zijn moeder is een querulant.",  # -ant
            "Hij is een lesverstoorder.",  # a rare -er compound of known parts
            "Tijn is een taalwonder.",  # a compound on a type head
            "Het is een kluns op het veld.",  # "Het is een X" + a rare short person noun
            "Daan is het type dat altijd het laatste woord wil.",  # "het type dat"
            "Zijn vader is zo'n bemoeizuchtig type dat overal iets van vindt.",
            "Fenna is zo'n typisch meisje dat alleen aan paarden denkt.",
            "Hij is echt een kluns met een bal.",  # "echt een X"
        ):
            with self.subTest(text=text):
                self.assertNotEqual(self.found(text, "label"), [])

    def test_near_misses_stay_clean(self):
        for text in (
            "Ze is een echte doorzetter, ook als het tegenzit.",  # praise
            "Lars is een echte teamspeler in de gymles.",
            "Zijn vader is een statushouder uit Syrië.",  # neutral person nouns
            "Hij is een leerling van groep 6.",
            "Het was een typische regendag, dus we bleven binnen.",  # "Het" + a thing
            "Het is een lastige situatie voor iedereen.",
            "Hij is echt een leuke jongen.",  # "echt een" + a kind adjective
            "Het type fiets dat hij heeft, mag niet op het plein.",
        ):
            with self.subTest(text=text):
                self.assertEqual(self.found(text, "label"), [])

    def test_possessive_zijn_is_no_passive(self):
        for text in (
            "Milan heeft in de les zijn telefoon gebruikt.",
            "Anas heeft een bal gegooid en zijn jas vergeten.",
            "Zijn tekeningen hangen in de hal.",
            "Het is fijn om op tijd op school te zijn.",
            "Hij is een bezige bij die de klas vrolijk maakt.",
            "Uw houding tijdens het gesprek was erg kort.",
        ):
            with self.subTest(text=text):
                self.assertEqual(self.found(text, "passive"), [])
        for text in (
            "Zijn de boeken al ingeleverd?",  # a question: the verb
            "De brieven zijn gisteren verstuurd.",
            "We hebben gezien dat de tassen zijn opgehaald.",
        ):
            with self.subTest(text=text):
                self.assertNotEqual(self.found(text, "passive"), [])

    def test_jargon_precision(self):
        for text in (
            "Verzuim kunt u melden via het ouderportaal.",  # a school word on its own
            "Hallo, ik ben Els, de verzuimcoördinator.",  # someone the parent meets
            "De overblijfkrachten letten op in de pauze.",
            "Tim is autistisch; we zeggen vooraf wat er gebeurt.",
        ):
            with self.subTest(text=text):
                self.assertEqual(self.found(text, "jargon"), [])
        for text in (
            "Er is sprake van ongeoorloofd verzuim.",
            "Er is sprake van relatief verzuim.",
            "De verzuimmelding is verstuurd.",
        ):
            with self.subTest(text=text):
                self.assertNotEqual(self.found(text, "jargon"), [])
