"""Direction-safe messages (issue 20): in a right-to-left language every filled-in value
is isolated (U+2068 … U+2069), in the email's plain text and subject, the SMS, the
letter and the pages; a left-to-right message has no isolates."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core import mail
from django.test import SimpleTestCase
from django.urls import reverse

from bondgenoot.lib.texts import FSI, PDI, fill, isolated
from bondgenoot.meetings import texts as meeting_texts
from bondgenoot.messaging import library
from bondgenoot.messaging.letters import letters_for
from bondgenoot.messaging.models import Delivery, Message
from bondgenoot.people.models import Guardian
from bondgenoot.testing import BaseTestCase, make_family

THEME = "Sociale media: wat doet uw kind online?"


class IsolateTest(SimpleTestCase):
    def test_a_value_is_isolated_and_cannot_close_the_isolate_early(self):
        self.assertEqual(isolated("Noor"), f"{FSI}Noor{PDI}")
        # A stray PDI or override inside a value is taken out first.
        self.assertEqual(isolated(f"a{PDI}\u202eb"), f"{FSI}ab{PDI}")
        self.assertEqual(fill("{x}?", {"x": "a"}), "a?")
        self.assertEqual(fill("{x}?", {"x": "a"}, isolate=True), f"{FSI}a{PDI}?")

    def test_a_value_ending_in_punctuation_takes_the_place_of_the_full_stop(self):
        self.assertEqual(
            fill("Over {t}.", {"t": "Wat doet uw kind online?"}), "Over Wat doet uw kind online?"
        )
        self.assertEqual(fill("Over {t}.", {"t": "slapen"}), "Over slapen.")
        self.assertEqual(fill("حول {t}.", {"t": "online?"}, isolate=True), f"حول {FSI}online?{PDI}")
        # The Ethiopic full stop stays after an abbreviation's dot, goes after a question.
        self.assertEqual(fill("ሰዓት {t}።", {"t": "3:30 ድ.ቀ."}), "ሰዓት 3:30 ድ.ቀ.።")
        self.assertEqual(fill("{t}።", {"t": "online?"}), "online?")

    def test_meeting_messages_isolate_in_arabic_only(self):
        values = {
            "title": THEME,
            "when": "…",
            "where": "Aula",
            "link": "https://x/y",
            "school": "De Brug",
        }
        subject, body = meeting_texts.message("ar", "invite", values)
        self.assertIn(f"{FSI}{THEME}{PDI}", subject)
        self.assertIn(f"{FSI}https://x/y{PDI}", body)
        for language in ("nl", "pl", "tr"):
            subject, body = meeting_texts.message(language, "invite", values)
            self.assertNotIn(FSI, subject + body)
            self.assertIn(THEME, subject)


class ThemeTest(SimpleTestCase):
    def test_a_theme_from_the_list_is_read_in_each_language_anything_else_stays(self):
        from bondgenoot.messaging.delivery import render

        nl = library.templates()["theme_evening"].texts["nl"]
        message = Message(
            template_key="theme_evening", translated=True, subject=nl.subject, body=nl.body
        )
        values = {"date": "2026-03-05", "mentor": "A", "school": "S"}
        _, subject, _ = render(message, "pl", {**values, "theme": "Sociale Media"})
        self.assertIn("media społecznościowe", subject)
        _, subject, _ = render(message, "ar", {**values, "theme": "groepsdruk"})
        self.assertIn(f"{FSI}ضغط الأقران{PDI}", subject)
        _, subject, _ = render(message, "pl", {**values, "theme": "Slapen"})
        self.assertIn("Slapen", subject)  # typed otherwise: stays Dutch
        for names in library.themes().values():
            self.assertEqual(set(names), set(library.LANGUAGES))


class PortalTest(SimpleTestCase):
    def test_the_portal_invitation_isolates_its_values_in_arabic(self):
        from unittest import mock

        from bondgenoot.portal.actions import invitation_text

        arabic = invitation_text(mock.Mock(language="ar", token="abc", code="123456"), "De Brug")
        polish = invitation_text(mock.Mock(language="pl", token="abc", code="123456"), "De Brug")
        self.assertIn(f"{FSI}De Brug{PDI}", arabic["body"])
        for key, text in arabic.items():
            with self.subTest(key=key):
                self.assertNotIn("De Brug", text.replace(f"{FSI}De Brug{PDI}", ""))
                self.assertEqual(text.count(FSI), text.count(PDI))
        self.assertIn("De Brug", polish["body"])
        self.assertNotIn(FSI, "".join(polish.values()))


class DirectionTest(BaseTestCase):
    def send_theme_evening(self, family, channel=None):
        nl = library.templates()["theme_evening"].texts["nl"]
        data = {
            "gezin": str(family.pk),
            "template": "theme_evening",
            "purpose": "theme_meeting",
            "subject": nl.subject,
            "body": nl.body,
            "date": "2026-03-05",
            "time": "19:30",
            "theme": THEME,
            "letters": "on",
            "send": "1",
        }
        if channel:
            for guardian in Guardian.objects.filter(guardianships__pupil__family=family).distinct():
                data[f"kanaal-{guardian.pk}"] = channel
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("messaging:compose"), data)
        self.assertEqual(response.status_code, 302)

    def family(self, language, **kwargs):
        return make_family(
            self.school,
            self.group_1a,
            name=f"Familie {language}",
            written=language,
            languages=(language,),
            guardians=1,
            **kwargs,
        )

    def test_the_plain_text_email_isolates_each_value_in_arabic(self):
        self.login(self.mentor)
        self.send_theme_evening(self.family("ar"), channel="email")
        sent = mail.outbox[-1]
        # The Dutch theme keeps its "?" at its own end, inside the isolate.
        self.assertIn(f"{FSI}{THEME}{PDI}", sent.subject)
        self.assertIn(f"{FSI}{THEME}{PDI}", sent.body)
        self.assertIn(f"{FSI}{self.school.name}{PDI}", sent.body)
        # The date is written out in Arabic, as one isolated run.
        self.assertIn("مارس", sent.body)
        delivery = Delivery.objects.get()
        self.assertEqual(delivery.subject, sent.subject)  # saved with its isolates

    def test_a_left_to_right_email_has_no_isolates(self):
        self.login(self.mentor)
        self.send_theme_evening(self.family("pl"), channel="email")
        sent = mail.outbox[-1]
        self.assertNotIn(FSI, sent.subject + sent.body)
        self.assertIn(THEME, sent.subject)
        self.assertIn("marca 2026", sent.body)

    def test_the_sms_isolates_each_value_in_arabic(self):
        self.login(self.mentor)
        self.send_theme_evening(self.family("ar", email=False), channel="sms")
        delivery = Delivery.objects.get()
        self.assertEqual(delivery.channel, "sms")
        sent = json.loads((Path(settings.OUTBOX_DIR) / "sms" / f"{delivery.pk}.json").read_text())
        text = json.dumps(sent, ensure_ascii=False)
        self.assertIn(f"{FSI}{THEME}{PDI}", text)

    def test_the_letter_isolates_each_value_in_arabic(self):
        from django.template.loader import render_to_string

        self.login(self.mentor)
        family = self.family("ar", email=False)
        Guardian.objects.filter(guardianships__pupil__family=family).update(
            phone="", street="Dorpsweg 1"
        )
        self.send_theme_evening(family)
        delivery = Delivery.objects.get()
        self.assertEqual(delivery.channel, "letter")
        html = render_to_string(
            "messaging/letters.html",
            {"message": delivery.message, "letters": letters_for([delivery])},
        )
        self.assertIn(f"{FSI}{THEME}{PDI}", html)
        self.assertIn('dir="rtl"', html)

    def test_saving_keeps_the_isolates_of_a_subject_but_not_an_override(self):
        message = Message.objects.create(
            school=self.school, author=self.mentor, purpose="practical", subject="S", body="B"
        )
        guardian = Guardian.objects.filter(guardianships__pupil__family=self.jansen).first()
        delivery = Delivery.objects.create(
            message=message,
            family=self.jansen,
            guardian=guardian,
            channel="email",
            address="x@example.org",
            language="ar",
            subject=f"دعوة: {FSI}{THEME}{PDI}\u202e",
            body="B",
        )
        delivery.refresh_from_db()
        self.assertEqual(delivery.subject, f"دعوة: {FSI}{THEME}{PDI}")

    def test_the_answer_page_isolates_the_dutch_title(self):
        from datetime import timedelta

        from django.utils import timezone

        from bondgenoot.meetings.models import Invitation, Meeting

        starts = timezone.now() + timedelta(days=3)
        meeting = Meeting.objects.create(
            school=self.school,
            kind="theme",
            title=THEME,
            place="Aula",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            created_by=self.mentor,
        )
        guardian = Guardian.objects.filter(guardianships__pupil__family=self.el_amrani).first()
        invitation = Invitation.objects.create(
            meeting=meeting, family=self.el_amrani, guardian=guardian, language="ar", how="sms"
        )
        page = self.client.get(reverse("meetings:answer", args=[invitation.token]))
        self.assertContains(page, f"<bdi>{THEME}</bdi>")
        self.assertContains(page, "<bdi>Aula</bdi>")


class ReplyPageTest(BaseTestCase):
    def test_the_limit_is_a_number_in_the_readers_language(self):
        from bondgenoot.lib.dates import written_number

        self.assertEqual(written_number(2000, "nl"), "2.000")
        self.assertEqual(written_number(2000, "pl"), "2\xa0000")
        self.assertEqual(written_number(2000, "en"), "2,000")
        text = fill(
            library.reply_texts("ar")["too_long"],
            {"limit": written_number(2000, "ar")},
            isolate=True,
        )
        self.assertIn(f"{FSI}2,000{PDI}", text)
