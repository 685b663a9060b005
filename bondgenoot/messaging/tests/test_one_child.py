"""One child at a time (issue 20): a message about a pupil names that pupil only, in every
family language; the composer asks which child when a family has several; a group
message is about the pupil in that group; a message about all of a family's children
uses the template's plural form in the reader's language, never names joined together."""

from __future__ import annotations

from django.urls import reverse

from bondgenoot.lib.texts import FSI, PDI, fill
from bondgenoot.messaging import library
from bondgenoot.messaging.models import Delivery
from bondgenoot.people.languages import is_rtl
from bondgenoot.testing import BaseTestCase, make_family


def _plain(text: str) -> str:
    return text.replace(FSI, "").replace(PDI, "")


class OneChildTest(BaseTestCase):
    def send(self, family, key="positive_news", **fields):
        nl = library.templates()[key].texts["nl"]
        data = {
            "gezin": str(family.pk),
            "template": key,
            "purpose": library.templates()[key].purpose,
            "subject": nl.subject,
            "body": nl.body,
            "send": "1",
            **fields,
        }
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(reverse("messaging:compose"), data)

    def test_in_every_language_a_message_names_the_one_child_it_is_about(self):
        self.login(self.mentor)
        for language in library.LANGUAGES:
            with self.subTest(language=language):
                Delivery.objects.all().delete()
                one = make_family(
                    self.school,
                    self.group_1a,
                    name=f"Een {language}",
                    written=language,
                    languages=(language,),
                    guardians=1,
                )
                two = make_family(
                    self.school,
                    [self.group_1a, self.group_2b],
                    name=f"Twee {language}",
                    written=language,
                    languages=(language,),
                    guardians=1,
                )
                text = library.templates()["positive_news"].texts[language]
                # One child: no question, that child's name.
                self.assertEqual(self.send(one).status_code, 302)
                delivery = Delivery.objects.get(family=one)
                self.assertEqual(delivery.language, language)
                self.assertEqual(
                    delivery.subject,
                    fill(text.subject, {"child": "Noah"}, isolate=is_rtl(language)),
                )
                # Two children, the writer chose the second: only that name, never the other.
                lina = two.pupils.get(first_name="Lina")
                self.assertEqual(self.send(two, child=str(lina.pk)).status_code, 302)
                delivery = Delivery.objects.get(family=two)
                self.assertIn("Lina", delivery.subject + delivery.body)
                self.assertNotIn("Noah", delivery.subject + delivery.body)
                self.assertNotIn(" & ", delivery.body)
                # All of them: the plural form in that language, without names.
                Delivery.objects.filter(family=two).delete()
                self.assertEqual(self.send(two, child="all").status_code, 302)
                delivery = Delivery.objects.get(family=two)
                self.assertEqual(_plain(delivery.subject), text.subject_plural)
                self.assertEqual(
                    _plain(delivery.body).split("\n")[:4], text.body_plural.split("\n")[:4]
                )
                self.assertNotIn("Noah", delivery.body)
                self.assertNotIn("Lina", delivery.body)

    def test_the_composer_asks_which_child_and_keeps_what_was_typed(self):
        self.login(self.mentor)
        page = self.client.get(reverse("messaging:compose") + f"?gezin={self.yilmaz.pk}")
        self.assertContains(page, 'name="child"', count=3)  # Lina, Noah, all of them
        # One child: no question.
        page = self.client.get(reverse("messaging:compose") + f"?gezin={self.jansen.pk}")
        self.assertNotContains(page, 'name="child"')
        body = "Beste ouders, {child} deed het heel goed deze week. Groet, {mentor}"
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("messaging:compose"),
                {
                    "gezin": str(self.yilmaz.pk),
                    "purpose": "positive_news",
                    "subject": "Goed nieuws",
                    "body": body,
                    "send": "1",
                },
            )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Delivery.objects.exists())
        self.assertIn("child", response.context["form"].errors)
        self.assertContains(response, "deed het heel goed deze week", status_code=400)  # kept
        # Radio ids are unique on the page (id_child_0, id_child_1, …).
        html = response.content.decode()
        for index in range(3):
            self.assertEqual(html.count(f'id="id_child_{index}"'), 1)

    def test_a_child_of_another_family_cannot_be_chosen(self):
        self.login(self.mentor)
        other = self.jansen.pupils.get()
        response = self.send(self.yilmaz, child=str(other.pk))
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Delivery.objects.exists())

    def test_a_text_without_child_asks_nothing(self):
        self.login(self.mentor)
        self.assertEqual(
            self.send(
                self.yilmaz, key="theme_evening", date="2026-03-05", theme="Slapen"
            ).status_code,
            302,
        )

    def test_a_group_message_is_about_the_pupil_in_that_group(self):
        self.login(self.mentor)
        nl = library.templates()["positive_news"].texts["nl"]
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("messaging:compose"),
                {
                    "groep": str(self.group_1a.pk),
                    "template": "positive_news",
                    "purpose": "positive_news",
                    "subject": nl.subject,
                    "body": nl.body,
                    "send": "1",
                },
            )
        self.assertEqual(response.status_code, 302)
        # Yilmaz has Noah in 1A and Lina in 2B: the 1A message is about Noah only.
        deliveries = list(Delivery.objects.filter(family=self.yilmaz))
        self.assertEqual(len(deliveries), 2)
        for delivery in deliveries:
            self.assertIn("Noah", delivery.subject)
            self.assertNotIn("Lina", delivery.body)

    def test_twins_in_one_group_get_the_plural_form(self):
        twins = make_family(self.school, [self.group_1a, self.group_1a], name="Tweeling")
        self.login(self.mentor)
        nl = library.templates()["positive_news"].texts["nl"]
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                reverse("messaging:compose"),
                {
                    "groep": str(self.group_1a.pk),
                    "template": "positive_news",
                    "purpose": "positive_news",
                    "subject": nl.subject,
                    "body": nl.body,
                    "send": "1",
                },
            )
        delivery = Delivery.objects.filter(family=twins).first()
        self.assertEqual(delivery.subject, nl.subject_plural)
        self.assertNotIn("&", delivery.body)

    def test_own_text_about_all_children_joins_names_with_the_languages_and(self):
        self.login(self.mentor)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                reverse("messaging:compose"),
                {
                    "gezin": str(self.yilmaz.pk),
                    "purpose": "informal",
                    "subject": "Even bijpraten",
                    "body": "Beste ouders, hoe gaat het met {child}? Groet, {mentor}",
                    "child": "all",
                    "send": "1",
                },
            )
        delivery = Delivery.objects.filter(family=self.yilmaz).first()
        self.assertIn("hoe gaat het met Lina en Noah?", delivery.body)
