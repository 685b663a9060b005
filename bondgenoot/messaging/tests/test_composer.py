"""The composer before sending: suggestions that keep the sentence whole, a verdict that
counts the findings, a confirmation for alarm and labels, the channel per parent, and the
family's language (a translated template, or a computer's translation shown first)."""

from __future__ import annotations

from django.test import override_settings
from django.urls import reverse

from bondgenoot.lib import dev_translate_server
from bondgenoot.lib.tonecoach import check
from bondgenoot.messaging import library
from bondgenoot.messaging.models import Delivery, Message
from bondgenoot.people.models import Guardian
from bondgenoot.testing import BaseTestCase

ALARM = "Als uw zoon nog een keer te laat komt, wordt hij geschorst."
CLEAN = "Beste ouders, op dinsdag is er koffie op school. U bent welkom."
BUG = "We maken ons zorgen over risicogedrag van uw zoon."


class ComposerTestCase(BaseTestCase):
    def post(self, user, family, **fields):
        self.login(user)
        data = {"gezin": str(family.pk), "purpose": "practical", "subject": "Even bijpraten"}
        data.update(fields)
        return self.client.post(reverse("messaging:compose"), data)


class SuggestionAndVerdictTest(ComposerTestCase):
    def test_it_offers_an_example_instead_of_a_broken_one_click(self):
        page = self.post(self.mentor, self.jansen, body=BUG, check="1")
        report = page.context["report"]
        jargon = [f for f in report.findings if f.text == "risicogedrag"]
        self.assertTrue(jargon)
        self.assertTrue(all(not f.replacement for f in jargon))
        self.assertTrue(all(f.example for f in jargon))
        self.assertNotContains(page, f'name="accept" value="{jargon[0].start}:{jargon[0].end}"')
        # Even a forged click on that span leaves the text as it was.
        page = self.post(
            self.mentor, self.jansen, body=BUG, accept=f"{jargon[0].start}:{jargon[0].end}"
        )
        self.assertEqual(page.context["form"]["body"].value(), BUG)
        self.assertNotIn("gedrag waar we ons zorgen over maken van", page.content.decode())

    def test_the_verdict_counts_the_findings(self):
        self.assertNotEqual(check(BUG).verdict, "good")
        page = self.post(self.mentor, self.jansen, body=BUG, check="1")
        self.assertNotContains(page, "B1 of makkelijker: goed")
        self.assertEqual(check(CLEAN).verdict, "good")  # positive control


class ConfirmationTest(ComposerTestCase):
    def test_it_asks_once_before_sending_alarm_or_labels(self):
        page = self.post(self.mentor, self.jansen, body=ALARM, send="1")
        self.assertEqual(page.status_code, 200)
        self.assertEqual(Message.objects.count(), 0)
        self.assertContains(page, 'id="confirm-send"')
        self.assertContains(page, 'name="send" value="confirmed"')
        self.assertTrue(page.context["confirm"])
        self.assertContains(page, ALARM)  # nothing typed is lost
        # A warning, not a block: "send it as it is" sends.
        page = self.post(self.mentor, self.jansen, body=ALARM, send="confirmed")
        self.assertEqual(Message.objects.count(), 1)
        self.assertRedirects(
            page,
            reverse("messaging:detail", args=[Message.objects.get().pk]),
            fetch_redirect_response=False,
        )

    def test_a_clean_text_is_sent_at_once(self):
        page = self.post(self.mentor, self.jansen, body=CLEAN, send="1")
        self.assertEqual(page.status_code, 302)
        self.assertEqual(Message.objects.count(), 1)


class ChannelChoiceTest(ComposerTestCase):
    def guardian(self) -> Guardian:
        guardian = Guardian.objects.filter(guardianships__pupil__family=self.jansen).first()
        guardian.email = "ouder@example.nl"
        guardian.phone = "+212 612 345678"
        guardian.street, guardian.postcode = "Dorpsweg 1", "3081 AB"
        guardian.preferred_channels = ["email"]
        guardian.save()
        return guardian

    def test_the_preferred_channel_is_preselected(self):
        guardian = self.guardian()
        page = self.post(self.mentor, self.jansen, body=CLEAN, check="1")
        self.assertContains(page, f'name="kanaal-{guardian.pk}"')
        self.assertContains(page, '<option value="email" selected>')
        self.assertContains(page, '<option value="sms">')
        self.assertContains(page, '<option value="letter">')

    def test_the_writer_picks_another_channel_per_parent(self):
        guardian = self.guardian()
        self.post(
            self.mentor, self.jansen, body=CLEAN, send="1", **{f"kanaal-{guardian.pk}": "sms"}
        )
        delivery = Delivery.objects.get(guardian=guardian)
        self.assertEqual((delivery.channel, delivery.address), ("sms", "+212612345678"))

    def test_a_channel_that_does_not_work_is_ignored(self):
        guardian = self.guardian()
        guardian.street = ""
        guardian.save()
        self.post(
            self.mentor, self.jansen, body=CLEAN, send="1", **{f"kanaal-{guardian.pk}": "letter"}
        )
        self.assertEqual(Delivery.objects.get(guardian=guardian).channel, "email")


class LanguageTest(ComposerTestCase):
    """El Amrani's parent reads Arabic (group 2B, mentored by "dual")."""

    def test_it_says_before_sending_that_own_text_goes_out_in_dutch(self):
        page = self.post(self.dual, self.el_amrani, body=CLEAN, check="1")
        self.assertContains(page, 'id="language-notice"')
        self.assertContains(page, "Arabisch: 1")
        # (a) templates translated into Arabic are offered, one click each.
        plan = page.context["language_plan"]
        self.assertTrue(plan.templates)
        self.assertContains(page, f'name="template_pick" value="{plan.templates[0].key}"')
        # Off by default: no machine translation offered.
        self.assertFalse(plan.machine)
        self.assertNotContains(page, 'name="machine_translate"')

    def test_a_template_in_their_language_needs_no_notice(self):
        key = next(k for k, t in library.templates().items() if "ar" in t.texts)
        page = self.post(self.dual, self.el_amrani, template_pick=key)
        self.assertEqual(page.context["form"]["template"].value(), key)
        self.assertNotContains(page, 'id="language-notice"')


class MachineTranslationTest(ComposerTestCase):
    def setUp(self):
        self.server = dev_translate_server.start()
        dev_translate_server.Handler.requests = []
        host, port = self.server.server_address
        self.settings = override_settings(MACHINE_TRANSLATION_URL=f"http://{host}:{port}")
        self.settings.enable()

    def tearDown(self):
        self.settings.disable()
        self.server.shutdown()
        self.server.server_close()

    def test_it_shows_the_translation_first_and_sends_it_marked(self):
        body = "Beste {child}, welkom op school."
        page = self.post(self.dual, self.el_amrani, body=body, machine_translate="1")
        self.assertEqual(Message.objects.count(), 0)  # shown, not sent
        self.assertContains(page, "[ar] Beste {child}, welkom op school.")
        self.assertContains(page, "machinevertaling")
        self.assertContains(page, 'lang="ar" dir="rtl"')
        # Only the text went to the server: placeholders unfilled, no name of the family.
        sent = " ".join(r["q"] for r in dev_translate_server.Handler.requests)
        self.assertNotIn("El Amrani", sent)
        self.assertEqual({r["target"] for r in dev_translate_server.Handler.requests}, {"ar"})
        hidden = {
            name: page.context["translation_source"] if name == "mt-source" else value
            for name, value in (
                ("mt-source", ""),
                ("mt-ar-subject", "[ar] Even bijpraten"),
                ("mt-ar-body", "[ar] Beste {child}, welkom op school."),
            )
        }
        self.post(self.dual, self.el_amrani, body=body, send="1", **hidden)
        delivery = Delivery.objects.get()
        self.assertEqual(delivery.language, "ar")
        self.assertTrue(delivery.body.startswith("[ar] Beste "))
        self.assertIn(library.reply_texts("ar")["machine_note"], delivery.body)
        self.assertEqual(Message.objects.get().translations["ar"]["status"], "machine")

    def test_a_translation_of_an_older_text_is_not_used(self):
        page = self.post(self.dual, self.el_amrani, body=CLEAN, machine_translate="1")
        self.post(
            self.dual,
            self.el_amrani,
            body=CLEAN + " Tot dan!",
            send="1",
            **{
                "mt-source": page.context["translation_source"],
                "mt-ar-subject": "[ar] x",
                "mt-ar-body": "[ar] y",
            },
        )
        self.assertEqual(Delivery.objects.get().language, "nl")

    def test_a_language_the_server_cannot_do_is_named(self):
        guardian = Guardian.objects.get(guardianships__pupil__family=self.el_amrani)
        guardian.written_language_id = "ti"
        guardian.save()
        page = self.post(self.dual, self.el_amrani, body=CLEAN, machine_translate="1")
        self.assertContains(page, "De computer kon niet vertalen naar: Tigrinya")
        self.assertContains(page, 'id="language-notice"')
