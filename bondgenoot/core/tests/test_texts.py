"""One TOML loader and one placeholder engine for every text kept as data."""

from pathlib import Path
from unittest import mock

from django.test import SimpleTestCase

from bondgenoot.lib import texts
from bondgenoot.meetings import texts as meeting_texts
from bondgenoot.messaging import library


class FillTest(SimpleTestCase):
    def test_it_fills_known_placeholders_and_leaves_other_braces(self):
        self.assertEqual(
            texts.fill("Hoi {child} {child.upper} {unknown} :-} {", {"child": "Noah"}),
            "Hoi Noah {child.upper} {unknown} :-} {",
        )

    def test_it_does_not_fill_inside_a_filled_value(self):
        self.assertEqual(texts.fill("{a}{b}", {"a": "{b}", "b": "x"}), "{b}x")

    def test_it_lists_placeholders(self):
        self.assertEqual(texts.placeholders("{a} en {b} {a} {c.d}"), {"a", "b"})


class LoaderTest(SimpleTestCase):
    def test_meeting_texts_and_templates_share_the_one_cached_loader(self):
        meeting_texts.texts("nl")
        library.templates()
        library.reply_texts("nl")
        self.assertIs(texts.load(meeting_texts.FILE), meeting_texts._all())
        self.assertIs(texts.load(library.FILE)["reply_page"]["nl"], library.reply_texts("nl"))


class MeetingTextsTest(SimpleTestCase):
    def test_a_stray_brace_in_a_translation_cannot_break_an_invitation(self):
        from bondgenoot.meetings.actions import _delivery

        broken = {
            **meeting_texts.texts("nl"),
            "invite_subject": "Uitnodiging: {title} :-}",
            "invite_body": "Welkom {inviter}, {not_known} en {title}.",
        }
        invitation = mock.Mock(language="nl")
        recipient = mock.Mock(channel="sms", address="0612345678")
        with (
            mock.patch.object(meeting_texts, "texts", return_value=broken),
            mock.patch.object(meeting_texts, "when", return_value="maandag"),
            mock.patch("bondgenoot.meetings.actions.Delivery", side_effect=dict),
        ):
            delivery = _delivery(None, invitation, recipient, "invite", {"title": "Koffie"})
        self.assertEqual(delivery["subject"], "Uitnodiging: Koffie :-}")
        self.assertEqual(delivery["body"], "Welkom {inviter}, {not_known} en Koffie.")

    def test_every_language_has_the_placeholders_of_dutch(self):
        data = texts.load(Path(meeting_texts.FILE))
        for language, table in data.items():
            for key, text in table.items():
                if isinstance(text, str):
                    with self.subTest(language=language, key=key):
                        self.assertEqual(
                            texts.placeholders(text), texts.placeholders(data["nl"][key])
                        )
