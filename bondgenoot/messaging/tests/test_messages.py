"""Writing, sending and answering messages: per role, per channel and language, once
per guardian, logged in the ledger, and answered without an account."""

import json
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bondgenoot.contacts.models import Contact, NextStep
from bondgenoot.lib.texts import fill, placeholders
from bondgenoot.messaging import library
from bondgenoot.messaging.delivery import deliver_all, deliver_one
from bondgenoot.messaging.models import Delivery, Message, Reply
from bondgenoot.people.models import Guardian
from bondgenoot.testing import BaseTestCase


def sms_files(delivery) -> list[Path]:
    return list((Path(settings.OUTBOX_DIR) / "sms").glob(f"{delivery.pk}.json"))


class ComposeTest(BaseTestCase):
    def url(self, **params):
        query = "&".join(f"{k}={v}" for k, v in params.items())
        return reverse("messaging:compose") + "?" + query

    def send(self, family=None, **fields):
        data = {
            "gezin": str((family or self.jansen).pk),
            "purpose": "positive_news",
            "subject": "Goed nieuws",
            "body": "Beste ouders, {child} heeft deze week een klasgenoot geholpen. {mentor}",
            "letters": "on",
            "send": "1",
            **fields,
        }
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(reverse("messaging:compose"), data)

    def test_who_may_write_to_a_family(self):
        for user, status in (
            (self.mentor, 200),
            (self.care, 200),
            (self.teacher, 403),
            (self.leader, 403),
            (self.admin, 403),
            (self.keyfigure, 403),
            (self.outsider, 404),
            (self.dual, 404),
        ):
            self.login(user)
            self.assertEqual(
                self.client.get(self.url(gezin=self.jansen.pk)).status_code, status, user
            )

    def test_a_template_fills_the_form_and_shows_its_review_status(self):
        self.login(self.mentor)
        page = self.client.get(self.url(gezin=self.jansen.pk, template="invitation_talk"))
        form = page.context["form"]
        nl = library.templates()["invitation_talk"].texts["nl"]
        self.assertEqual(form.initial["body"], nl.body)
        self.assertContains(page, "so (")  # a draft translation is marked as such

    def test_the_tone_coach_checks_live_and_a_suggestion_is_accepted_with_one_click(self):
        self.login(self.mentor)
        panel = self.client.post(reverse("messaging:tone"), {"body": "Het OPP wordt besproken."})
        self.assertContains(panel, 'class="tone tone--jargon"')
        self.assertContains(panel, 'name="accept" value="4:7"')
        page = self.client.post(
            reverse("messaging:compose"),
            {
                "gezin": str(self.jansen.pk),
                "purpose": "practical",
                "subject": "Plan",
                "body": "Het OPP wordt besproken.",
                "accept": "4:7",
            },
        )
        self.assertContains(page, "Het plan voor de ontwikkeling van uw kind wordt besproken.")
        self.assertFalse(Message.objects.exists())

    def test_a_missing_date_is_refused_and_nothing_typed_is_lost(self):
        self.login(self.mentor)
        response = self.send(body="Komt u op {date}? Groet, {mentor}. Mijn eigen zin.")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Mijn eigen zin.", status_code=400)
        self.assertIn("date", response.context["form"].errors)
        self.assertFalse(Message.objects.exists())

    def test_sending_delivers_once_per_guardian_and_logs_one_contact_per_family(self):
        self.login(self.mentor)
        response = self.send()
        message = Message.objects.get()
        self.assertRedirects(response, reverse("messaging:detail", args=[message.pk]))
        deliveries = list(message.deliveries.all())
        self.assertEqual(len(deliveries), 2)  # both parents of Jansen have authority
        self.assertTrue(all(d.status == "sent" for d in deliveries))
        self.assertEqual({d.channel for d in deliveries}, {"sms"})  # they prefer the app
        for d in deliveries:
            self.assertEqual(len(sms_files(d)), 1)
            data = json.loads(sms_files(d)[0].read_text())
            self.assertIn("Noah heeft deze week", data["text"])
            self.assertIn(d.reply_token, data["text"])
        contact = Contact.objects.get(family=self.jansen)
        self.assertEqual(
            (contact.channel, contact.dialogue, contact.bulk, contact.tone),
            ("sms", False, False, "positive"),
        )
        self.assertEqual(contact.guardians.count(), 2)
        self.assertEqual(Message.objects.get().status, "done")

    def test_email_for_those_who_prefer_it(self):
        Guardian.objects.filter(guardianships__pupil__family=self.jansen).update(
            preferred_channels=["email"]
        )
        self.login(self.mentor)
        self.send()
        self.assertEqual(len(mail.outbox), 2)
        delivery = Delivery.objects.first()
        sent = next(m for m in mail.outbox if m.to == [delivery.address])
        self.assertEqual(sent.extra_headers["Message-ID"], f"<{delivery.pk}@bondgenoot>")

    def test_each_guardian_gets_the_template_in_their_language(self):
        self.login(self.dual)
        body = library.templates()["positive_news"].texts["nl"]
        self.send(
            family=self.el_amrani,
            template="positive_news",
            subject=body.subject,
            body=body.body,
        )
        delivery = Delivery.objects.get(family=self.el_amrani)
        ar = library.templates()["positive_news"].texts["ar"]
        self.assertEqual(delivery.language, "ar")
        # Arabic is right to left: the name is isolated (U+2068 … U+2069).
        self.assertEqual(delivery.subject, fill(ar.subject, {"child": "Noah"}, isolate=True))
        self.assertIn("\u2068Noah\u2069", delivery.subject)
        self.assertTrue(delivery.rtl)

    def test_an_edited_template_goes_out_in_dutch(self):
        self.login(self.dual)
        body = library.templates()["positive_news"].texts["nl"]
        self.send(
            family=self.el_amrani,
            template="positive_news",
            subject=body.subject,
            body=body.body + " Nog een zin.",
        )
        self.assertEqual(Delivery.objects.get(family=self.el_amrani).language, "nl")

    def test_parents_without_email_or_mobile_are_listed_with_suggestions(self):
        Guardian.objects.filter(guardianships__pupil__family=self.jansen).update(
            phone="010 1234567", email="", street="Dorpsweg 1", postcode="3081 AB"
        )
        self.login(self.mentor)
        page = self.client.get(self.url(gezin=self.jansen.pk))
        self.assertEqual(len(page.context["unreachable"]), 2)
        self.assertContains(page, 'id="no-channel"')
        self.assertContains(page, "010 1234567")
        self.send(letters="on")
        letters = Delivery.objects.filter(channel="letter")
        self.assertEqual(letters.count(), 2)
        pdf = self.client.get(reverse("messaging:letters", args=[Message.objects.get().pk]))
        self.assertEqual(pdf["Content-Type"], "application/pdf")
        self.assertTrue(pdf.content.startswith(b"%PDF"))

    def test_without_letters_nobody_is_left_to_reach(self):
        Guardian.objects.filter(guardianships__pupil__family=self.jansen).update(phone="", email="")
        self.login(self.mentor)
        response = self.send(letters="")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Message.objects.exists())

    def test_a_group_message_reaches_only_families_the_writer_works_with(self):
        self.login(self.mentor)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                reverse("messaging:compose"),
                {
                    "groep": str(self.group_1a.pk),
                    "purpose": "practical",
                    "subject": "Gym",
                    "body": "De gymles is morgen buiten.",
                    "send": "1",
                },
            )
        families = set(Delivery.objects.values_list("family__name", flat=True))
        self.assertEqual(families, {"Jansen", "Yilmaz"})
        self.assertTrue(Contact.objects.filter(family=self.jansen, bulk=True).exists())
        self.login(self.mentor)
        response = self.client.get(self.url(groep=self.group_2b.pk))
        self.assertEqual(response.status_code, 404)


class DeliveryTest(BaseTestCase):
    def make_message(self):
        from bondgenoot.messaging.actions import create_message
        from bondgenoot.messaging.planning import plan
        from bondgenoot.people.models import Family

        reachable, _ = plan(Family.objects.filter(pk=self.jansen.pk))
        return create_message(
            self.mentor,
            self.school.pk,
            subject="Test",
            body="Hallo {child}",
            purpose="practical",
            template_key="",
            translated=False,
            values={},
            audience="Jansen",
            recipients=reachable,
        )

    def test_a_retry_after_a_crash_sends_nothing_twice(self):
        message = self.make_message()  # not delivered yet: on_commit never ran
        first, second = message.deliveries.order_by("pk")
        deliver_one(first.pk)
        # A crash after the gateway took the message, before it was marked sent:
        Delivery.objects.filter(pk=first.pk).update(status="sending")
        deliver_all(message.pk)  # another worker may be sending it: left alone
        self.assertEqual(Delivery.objects.get(pk=first.pk).status, "sending")
        with self.settings(DELIVERY_LEASE_SECONDS=0):  # the lease ran out: it was a crash
            deliver_all(message.pk)
        self.assertEqual(len(sms_files(first)), 1)
        self.assertEqual(len(sms_files(second)), 1)
        self.assertEqual(
            list(message.deliveries.values_list("status", flat=True)), ["sent", "sent"]
        )
        self.assertEqual(Contact.objects.filter(family=self.jansen).count(), 1)
        deliver_all(message.pk)  # and again: nothing new
        self.assertEqual(len(list((Path(settings.OUTBOX_DIR) / "sms").glob(f"{first.pk}*"))), 1)

    def test_two_workers_never_send_the_same_delivery(self):
        from bondgenoot.messaging.delivery import _claim

        message = self.make_message()
        first = message.deliveries.order_by("pk").first()
        self.assertIsNotNone(_claim(first.pk))  # worker A
        self.assertIsNone(_claim(first.pk))  # worker B, a moment later

    def test_a_failing_gateway_is_retried_then_marked_failed(self):
        message = self.make_message()
        with self.settings(SMS_BACKEND="bondgenoot.messaging.tests.test_messages.BrokenGateway"):
            for _ in range(3):
                deliver_all(message.pk)
        self.assertEqual(set(message.deliveries.values_list("status", flat=True)), {"failed"})
        self.assertIn("no signal", message.deliveries.first().error)
        self.assertFalse(Contact.objects.exists())


class BrokenGateway:
    def send(self, to, text, key):
        raise ConnectionError("no signal")


class ReplyTest(BaseTestCase):
    def setUp(self):
        self.login(self.mentor)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                reverse("messaging:compose"),
                {
                    "gezin": str(self.jansen.pk),
                    "purpose": "acquaintance",
                    "subject": "Kennismaken",
                    "body": "Hoe gaat het met {child}?",
                    "send": "1",
                },
            )
        self.client.logout()
        self.delivery = Delivery.objects.order_by("pk").first()
        self.url = reverse("messaging:reply", args=[self.delivery.reply_token])

    def test_a_parent_answers_without_an_account_and_the_contact_becomes_dialogue(self):
        page = self.client.get(self.url)
        self.assertContains(page, "Hoe gaat het met Noah?")
        self.assertEqual(page["Referrer-Policy"], "same-origin")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.url, {"body": "Goed! Hij vindt school leuk."})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Reply.objects.get().body, "Goed! Hij vindt school leuk.")
        contact = Contact.objects.get(family=self.jansen)
        self.assertTrue(contact.dialogue)
        step = NextStep.objects.get(owner=self.mentor)
        self.assertIn(self.delivery.guardian.full_name, step.what)
        self.assertEqual(mail.outbox[-1].to, [self.mentor.email])

    def test_an_empty_answer_is_refused(self):
        response = self.client.post(self.url, {"body": ""})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Reply.objects.exists())

    def test_a_link_shows_only_its_own_message_and_expires(self):
        other = Delivery.objects.exclude(pk=self.delivery.pk).get()
        page = self.client.get(self.url)
        self.assertNotContains(page, other.guardian.full_name)
        self.assertEqual(self.client.get("/antwoord/not-a-token/").status_code, 404)
        Delivery.objects.filter(pk=self.delivery.pk).update(
            sent_at=timezone.now() - timedelta(days=settings.REPLY_DAYS + 1)
        )
        self.assertEqual(self.client.get(self.url).status_code, 410)
        self.assertEqual(self.client.post(self.url, {"body": "Hallo"}).status_code, 410)
        self.assertFalse(Reply.objects.exists())

    def test_the_answer_page_is_in_the_parents_language(self):
        Delivery.objects.filter(pk=self.delivery.pk).update(language="ar")
        page = self.client.get(self.url)
        self.assertContains(page, 'dir="rtl"')
        self.assertContains(page, library.reply_texts("ar")["send"])

    def test_the_list_counts_recipients_and_answers_once_each(self):
        self.client.post(self.url, {"body": "Eén."})
        self.client.post(self.url, {"body": "Twee."})
        self.login(self.mentor)
        row = self.client.get(reverse("messaging:list")).context["page"][0]
        self.assertEqual((row.recipients, row.replies), (2, 2))

    def test_who_sees_the_message_and_its_answers(self):
        message = self.delivery.message
        url = reverse("messaging:detail", args=[message.pk])
        for user, status in (
            (self.mentor, 200),
            (self.care, 200),
            (self.dual, 404),
            (self.admin, 404),
        ):
            self.login(user)
            self.assertEqual(self.client.get(url).status_code, status, user)


class QueryCountTest(BaseTestCase):
    def test_composing_and_sending_to_a_group_do_not_grow_with_the_group(self):
        from bondgenoot.testing import count_queries, grow

        self.login(self.mentor)
        url = reverse("messaging:compose") + f"?groep={self.group_1a.pk}"
        data = {
            "groep": str(self.group_1a.pk),
            "purpose": "practical",
            "subject": "Gym",
            "body": "Hallo {child}, de gymles is buiten.",
            "send": "1",
        }
        self.client.get(url)
        small_page = count_queries(lambda: self.client.get(url))
        small_send = count_queries(lambda: self.client.post(reverse("messaging:compose"), data))
        grow(self.school, self.group_1a, 12)
        large_page = count_queries(lambda: self.client.get(url))
        large_send = count_queries(lambda: self.client.post(reverse("messaging:compose"), data))
        self.assertEqual(small_page, large_page)
        # Writing the message and its deliveries: bulk inserts, whatever the group size
        # (delivery itself runs in the background task, not in this request).
        self.assertEqual(small_send, large_send)
        self.assertGreater(Delivery.objects.count(), 20)


class LibraryAndLettersTest(BaseTestCase):
    def test_staff_see_the_library_with_review_status(self):
        for user, status in (
            (self.mentor, 200),
            (self.leader, 200),
            (self.teacher, 200),
            (self.keyfigure, 403),
            (self.parent, 403),
        ):
            self.login(user)
            self.assertEqual(
                self.client.get(reverse("messaging:library")).status_code, status, user
            )
        self.login(self.mentor)
        page = self.client.get(reverse("messaging:library"))
        for template in library.templates().values():
            self.assertContains(page, template.texts["nl"].subject)
        self.assertContains(page, "Team Bondgenoot")

    def test_every_template_has_eight_languages_with_the_same_placeholders(self):
        for template in library.templates().values():
            self.assertEqual(set(template.texts), set(library.LANGUAGES), template.key)
            nl = template.texts["nl"]
            for text in template.texts.values():
                self.assertEqual(
                    placeholders(text.subject + text.body),
                    placeholders(nl.subject + nl.body),
                    (template.key, text.language),
                )
                self.assertEqual(
                    placeholders(text.subject_plural + text.body_plural),
                    placeholders(nl.subject_plural + nl.body_plural),
                    (template.key, text.language, "plural"),
                )
                # Somali and Tigrinya wait for a native speaker; a review says who and when.
                self.assertEqual(text.reviewed, text.language not in ("so", "ti"))
                if text.reviewed:
                    self.assertTrue(text.reviewed_by and text.reviewed_on, text.language)
            self.assertEqual(
                set(library.reply_texts(text.language)), set(library.reply_texts("nl"))
            )

    def test_an_arabic_letter_is_laid_out_right_to_left(self):
        from django.template.loader import render_to_string

        message = Message(subject="S", body="B", school=self.school)
        guardian = Guardian(
            first_name="Fatima",
            last_name="El Amrani",
            street="Dorpsweg 1",
            postcode="3081 AB",
            city="Rotterdam",
        )
        deliveries = [
            Delivery(guardian=guardian, language="ar", subject="عنوان", body="نص"),
            Delivery(guardian=guardian, language="nl", subject="Titel", body="Tekst"),
        ]
        from bondgenoot.messaging.letters import letters_for

        html = render_to_string(
            "messaging/letters.html", {"message": message, "letters": letters_for(deliveries)}
        )
        self.assertIn('lang="ar" dir="rtl"', html)
        self.assertIn('lang="nl" dir="ltr"', html)


class FillTest(BaseTestCase):
    def test_braces_typed_by_staff_never_break_a_message(self):
        values = {"child": "Noah"}
        self.assertEqual(fill("Tot {child} :-{ dan }", values), "Tot Noah :-{ dan }")
        self.assertEqual(fill("{child.upper} {child!r}", values), "{child.upper} {child!r}")
        self.login(self.mentor)
        page = self.client.post(
            reverse("messaging:compose"),
            {
                "gezin": str(self.jansen.pk),
                "purpose": "practical",
                "subject": "x",
                "body": "Groet :-{ tot dan",
                "check": "1",
            },
        )
        self.assertContains(page, "Groet :-{ tot dan")
