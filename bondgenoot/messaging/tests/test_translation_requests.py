"""A translation by a person: the writer asks a colleague, or a key figure who bridges
the family with a parent's consent, to translate their own text. The translator sees the
text and nothing else; the translation comes back into the composer and goes out with
its review status ("person"). Every step is audited; the key figure's right ends with
the consent."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bondgenoot import access
from bondgenoot.audit.models import AuditEntry
from bondgenoot.bridges.models import Consent
from bondgenoot.messaging.composing import source_key
from bondgenoot.messaging.models import Delivery, Message, TranslationRequest
from bondgenoot.people.models import Guardian, Role
from bondgenoot.testing import BaseTestCase, make_bridge, make_key_figure, make_user

SUBJECT = "Kennismaken"
BODY = "Beste ouder, ik wil graag kennismaken. Wanneer kunt u langskomen?"
ARABIC_SUBJECT = "تعارف"
ARABIC_BODY = "ولي الأمر الكريم، أود التعرف عليكم. متى يمكنكم الحضور؟"


class TranslationRequestTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.colleague = make_user("collega", school=cls.school, roles=[Role.TEACHER])
        cls.colleague_entry = make_key_figure(
            cls.school, "Fatima Collega", kind="other_staff", user=cls.colleague, languages=["ar"]
        )
        cls.mustafa = make_key_figure(cls.school, user=cls.keyfigure, languages=["ar"])
        cls.mother = Guardian.objects.filter(guardianships__pupil__family=cls.el_amrani).first()
        cls.bridge = make_bridge(cls.el_amrani, cls.mustafa, cls.care, consent_from=cls.mother)
        # A key figure without the family's consent is never offered.
        other = make_user("anderesleutel", school=cls.school, roles=[Role.KEY_FIGURE])
        cls.unconsented = make_key_figure(
            cls.school, "Zonder Toestemming", user=other, languages=["ar"]
        )
        make_bridge(cls.el_amrani, cls.unconsented, cls.care)

    def compose(self, **extra):
        data = {
            "gezin": str(self.el_amrani.pk),
            "purpose": "acquaintance",
            "subject": SUBJECT,
            "body": BODY,
            **extra,
        }
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(reverse("messaging:compose"), data)

    def ask(self, key_figure):
        return self.compose(ask_translation="ar", **{"vertaler-ar": str(key_figure.pk)})

    def test_the_composer_offers_a_colleague_and_a_consented_key_figure_only(self):
        self.login(self.care)
        page = self.compose(check="1")
        options = {t.name: t.via for t in page.context["ask_options"][0][2]}
        self.assertEqual(options, {"Fatima Collega": "colleague", "Mustafa Amezian": "key_figure"})
        self.assertContains(page, 'name="vertaler-ar"')
        self.assertNotContains(page, "Zonder Toestemming")
        # Asking someone who is not offered is refused.
        self.ask(self.unconsented)
        self.assertFalse(TranslationRequest.objects.exists())
        # A family in Dutch only: nothing to ask.
        jansen = self.client.get(reverse("messaging:compose") + f"?gezin={self.jansen.pk}")
        self.assertEqual(jansen.context["ask_options"], [])

    def test_a_key_figure_translates_and_the_translation_goes_out_with_its_status(self):
        self.login(self.care)
        page = self.ask(self.mustafa)
        asked = TranslationRequest.objects.get()
        self.assertEqual(
            (asked.translator, asked.via, asked.language), (self.keyfigure, "key_figure", "ar")
        )
        self.assertEqual(set(asked.families.all()), {self.el_amrani})
        self.assertContains(page, reverse("messaging:translation", args=[asked.pk]))
        self.assertEqual(page.context["form"]["body"].value(), BODY)  # the text stays
        # The key figure's email carries a link and nothing about the family.
        email = mail.outbox[-1]
        self.assertEqual(email.to, [self.keyfigure.email])
        self.assertIn(reverse("messaging:translate", args=[asked.pk]), email.body)
        self.assertNotIn("El Amrani", email.subject + email.body)
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditEntry.Action.CREATE, object_id=str(asked.pk)
            ).exists()
        )

        self.login(self.keyfigure)
        todo = self.client.get(reverse("messaging:to_translate"))
        self.assertContains(todo, SUBJECT)
        page = self.client.get(reverse("messaging:translate", args=[asked.pk]))
        self.assertContains(page, BODY)
        for name in ("El Amrani", self.mother.first_name, "Noah", self.el_amrani.pk):
            self.assertNotContains(page, str(name))
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditEntry.Action.VIEW, object_id=str(asked.pk)
            ).exists()
        )
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                reverse("messaging:translate", args=[asked.pk]),
                {"translation-subject": ARABIC_SUBJECT, "translation-body": ARABIC_BODY},
            )
        asked.refresh_from_db()
        self.assertEqual(asked.status, "done")
        self.assertEqual(mail.outbox[-1].to, [self.care.email])
        # Done: the request is no longer open to the translator.
        self.assertEqual(
            self.client.get(reverse("messaging:translate", args=[asked.pk])).status_code, 404
        )

        self.login(self.care)
        back = self.client.post(reverse("messaging:translation", args=[asked.pk]))
        query = parse_qs(urlparse(back["Location"]).query)
        self.assertEqual(query, {"gezin": [str(self.el_amrani.pk)], "vertaling": [str(asked.pk)]})
        page = self.client.get(back["Location"])
        self.assertEqual(page.context["form"]["body"].value(), BODY)
        self.assertContains(page, ARABIC_BODY)
        self.assertEqual(page.context["language_plan"].dutch_for, {})  # nobody reads Dutch now
        with self.captureOnCommitCallbacks(execute=True):
            self.compose(send="1", vertaling=str(asked.pk))
        message = Message.objects.get()
        self.assertEqual(message.translations["ar"]["status"], "person")
        self.assertEqual(message.translations["ar"]["by"], "key_figure")
        delivery = Delivery.objects.get(message=message, guardian=self.mother)
        self.assertEqual(delivery.language, "ar")
        self.assertIn(ARABIC_BODY, delivery.body)
        detail = self.client.get(reverse("messaging:detail", args=[message.pk]))
        self.assertContains(detail, "ar (door een mens)")

    def test_a_translation_of_an_older_text_is_not_used(self):
        asked = TranslationRequest.objects.create(
            school=self.school,
            asked_by=self.care,
            translator=self.colleague,
            via="colleague",
            language="ar",
            subject=SUBJECT,
            body=BODY,
            source=source_key(SUBJECT, BODY),
            status="done",
            translated_subject=ARABIC_SUBJECT,
            translated_body=ARABIC_BODY,
        )
        self.login(self.care)
        page = self.compose(check="1", vertaling=str(asked.pk), body=BODY + " Groet.")
        self.assertNotContains(page, ARABIC_BODY)
        self.assertEqual(page.context["language_plan"].dutch_for, {"ar": 1})
        # Someone else's request, or a malformed id, is ignored.
        self.login(self.mentor)
        page = self.client.get(
            reverse("messaging:compose")
            + f"?gezin={self.jansen.pk}&vertaling={asked.pk}&vertaling=x"
        )
        self.assertNotContains(page, ARABIC_BODY)
        self.assertEqual(
            self.client.get(reverse("messaging:translation", args=[asked.pk])).status_code, 404
        )

    def test_who_may_open_a_request_to_translate(self):
        by_key_figure = TranslationRequest.objects.create(
            school=self.school,
            asked_by=self.care,
            translator=self.keyfigure,
            via="key_figure",
            language="ar",
            subject=SUBJECT,
            body=BODY,
            source="x",
        )
        by_key_figure.families.set([self.el_amrani])
        by_colleague = TranslationRequest.objects.create(
            school=self.school,
            asked_by=self.care,
            translator=self.colleague,
            via="colleague",
            language="ar",
            subject=SUBJECT,
            body=BODY,
            source="x",
        )
        url = lambda r: reverse("messaging:translate", args=[r.pk])  # noqa: E731
        for user, request, status in (
            (self.keyfigure, by_key_figure, 200),  # positive controls
            (self.colleague, by_colleague, 200),
            (self.keyfigure, by_colleague, 404),  # not theirs
            (self.colleague, by_key_figure, 404),
            (self.care, by_key_figure, 404),  # the writer translates nothing here
            (self.outsider, by_colleague, 404),
        ):
            self.login(user)
            self.assertEqual(self.client.get(url(request)).status_code, status, (user, request.via))
        # The consent is withdrawn: the key figure's request is gone on the next request.
        Consent.objects.filter(bridge=self.bridge).update(withdrawn_at=timezone.now())
        self.login(self.keyfigure)
        self.assertEqual(self.client.get(url(by_key_figure)).status_code, 404)
        self.assertFalse(access.translation_requests_to_do(self.keyfigure).exists())
        # Nor is the key figure offered any more.
        self.assertEqual(
            access.translators(self.care, self.school.pk, "ar", {self.el_amrani.pk}),
            [
                access.Translator(
                    str(self.colleague_entry.pk), self.colleague.pk, "Fatima Collega", "colleague"
                )
            ],
        )
        # A colleague who no longer works at the school cannot open it either.
        self.colleague.memberships.all().delete()
        access.forget_roles(self.colleague)
        self.login(self.colleague)
        self.assertEqual(self.client.get(url(by_colleague)).status_code, 404)
