"""Letters carry a way to answer; dates in messages are written in the parent's language."""

from __future__ import annotations

import base64
from datetime import date, datetime

from django.template.loader import render_to_string
from django.test import SimpleTestCase, override_settings

from bondgenoot.lib.dates import fill_dates, written_date, written_when
from bondgenoot.messaging import library
from bondgenoot.messaging.letters import letters_for
from bondgenoot.messaging.models import Delivery, Message
from bondgenoot.people.models import Guardian


class WrittenDatesTestCase(SimpleTestCase):
    def test_it_writes_the_date_in_each_language(self):
        day = date(2026, 3, 5)
        self.assertEqual(written_date(day, "nl"), "donderdag 5 maart 2026")
        self.assertEqual(written_date(day, "pl"), "5 marca 2026 (czwartek)")
        self.assertIn("Mart", written_date(day, "tr"))
        self.assertIn("березня", written_date(day, "uk"))
        self.assertIn("مارس", written_date(day, "ar"))
        self.assertIn("መጋቢት", written_date(day, "ti"))
        self.assertIn("Maarso", written_date(day, "so"))
        # A language Babel does not know gets a numeric date: no Dutch words, no error.
        self.assertEqual(written_date(day, "zgh-xx"), "05-03-2026")

    def test_it_writes_a_meeting_span(self):
        start, end = datetime(2026, 3, 5, 19, 30), datetime(2026, 3, 5, 21, 0)
        self.assertEqual(written_when(start, end, "nl"), "donderdag 5 maart 2026, 19:30–21:00")
        self.assertEqual(written_when(start, end, "pl"), "5 marca 2026 (czwartek), 19:30–21:00")

    def test_it_fills_a_message_date_per_language(self):
        values = {"date": "2026-03-12", "time": "15:30", "child": "Noah"}
        self.assertEqual(fill_dates(values, "nl")["date"], "donderdag 12 maart 2026, 15:30")
        self.assertEqual(fill_dates(values, "tr")["date"], "12 Mart 2026 Perşembe 15:30")
        # Joined the language's way: the Arabic comma in Arabic.
        self.assertEqual(fill_dates(values, "ar")["date"], "الخميس، 12 مارس 2026، 3:30 م")
        self.assertNotIn("time", fill_dates(values, "nl"))
        # A date typed as free text (old messages) stays as it is.
        self.assertEqual(fill_dates({"date": "dinsdag"}, "pl"), {"date": "dinsdag"})


@override_settings(SITE_URL="https://ouders.school.nl")
class LettersTestCase(SimpleTestCase):
    def deliveries(self):
        guardian = Guardian(first_name="Fatima", last_name="El Amrani", street="Dorpsweg 1")
        return [
            Delivery(guardian=guardian, language="pl", subject="T", body="B", reply_token="abc"),
            Delivery(guardian=guardian, language="nl", subject="T", body="B", link="https://x/y"),
        ]

    def test_each_letter_has_its_link_as_text_and_as_a_qr_code(self):
        letters = letters_for(self.deliveries())
        self.assertEqual(letters[0].link, "https://ouders.school.nl/antwoord/abc/")
        self.assertEqual(letters[1].link, "https://x/y")  # a meeting invitation's own link
        svg = base64.b64decode(letters[0].qr.split(",", 1)[1]).decode()
        self.assertIn("<svg", svg)
        self.assertEqual(letters[0].answer, library.reply_texts("pl")["letter_answer"])
        html = render_to_string(
            "messaging/letters.html",
            {"message": Message(subject="S", body="B"), "letters": letters},
        )
        self.assertIn("https://ouders.school.nl/antwoord/abc/", html)
        self.assertEqual(html.count("data:image/svg+xml;base64,"), 2)
        self.assertIn(library.reply_texts("pl")["letter_answer"], html)

    def test_the_qr_code_decodes_to_the_link(self):
        # The code encodes exactly the link: rendering it again gives the same image.
        from bondgenoot.messaging.letters import qr_data_uri

        link = "https://ouders.school.nl/antwoord/abc/"
        self.assertEqual(letters_for(self.deliveries())[0].qr, qr_data_uri(link))
        self.assertNotEqual(qr_data_uri(link), qr_data_uri(link + "x"))

    def test_the_date_is_in_the_letters_language(self):
        letters = letters_for(self.deliveries())
        months_pl = [
            "stycznia",
            "lutego",
            "marca",
            "kwietnia",
            "maja",
            "czerwca",
            "lipca",
            "sierpnia",
            "września",
            "października",
            "listopada",
            "grudnia",
        ]
        self.assertTrue(any(m in letters[0].date for m in months_pl), letters[0].date)
