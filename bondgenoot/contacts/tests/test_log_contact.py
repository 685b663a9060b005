from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from bondgenoot.audit.models import AuditEntry
from bondgenoot.contacts.models import Contact, NextStep
from bondgenoot.people.models import Guardian
from bondgenoot.testing import BaseTestCase

REQUIRED = {"channel": "phone", "purpose": "acquaintance", "tone": "positive", "reached": "1"}


class LogContactTest(BaseTestCase):
    def url(self, family):
        return reverse("contacts:new", args=[family.pk])

    def test_it_logs_a_contact_with_only_the_required_fields(self):
        self.login(self.mentor)
        response = self.client.post(self.url(self.jansen), REQUIRED)
        self.assertRedirects(response, reverse("people:family", args=[self.jansen.pk]))
        contact = Contact.objects.get(family=self.jansen)
        self.assertEqual((contact.channel, contact.purpose, contact.tone), REQUIRED_VALUES)
        self.assertTrue(contact.reached)
        self.assertTrue(contact.dialogue)  # a reached phone call is a conversation
        self.assertEqual(contact.author, self.mentor)
        self.assertLess(timezone.now() - contact.at, timedelta(minutes=1))
        entry = AuditEntry.objects.filter(action="create").get()
        self.assertEqual((entry.object_id, entry.family_id), (str(contact.pk), str(self.jansen.pk)))

    def test_it_treats_a_letter_as_one_way_by_default(self):
        self.login(self.mentor)
        self.client.post(self.url(self.jansen), {**REQUIRED, "channel": "letter"})
        self.assertFalse(Contact.objects.get().dialogue)

    def test_it_stores_the_optional_details(self):
        self.login(self.mentor)
        guardian = Guardian.objects.of_family(self.yilmaz).first()
        pupil = self.yilmaz.pupils.first()
        self.client.post(
            self.url(self.yilmaz),
            {
                **REQUIRED,
                "reached": "0",
                "dialogue": "0",
                "guardians": [guardian.pk],
                "pupils": [pupil.pk],
                "language": "tr",
                "interpreter": "on",
                "note": "Voicemail ingesproken.",
                "at": (timezone.localtime() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            },
        )
        contact = Contact.objects.get()
        self.assertFalse(contact.reached)
        self.assertFalse(contact.dialogue)
        self.assertEqual(list(contact.guardians.all()), [guardian])
        self.assertEqual(list(contact.pupils.all()), [pupil])
        self.assertEqual(
            (contact.language_id, contact.interpreter, contact.note),
            ("tr", True, "Voicemail ingesproken."),
        )
        self.assertEqual((timezone.now() - contact.at).days, 2)

    def test_it_creates_a_next_step(self):
        self.login(self.mentor)
        due = timezone.localdate() + timedelta(days=7)
        self.client.post(
            self.url(self.jansen),
            {
                **REQUIRED,
                "next_what": "Terugbellen",
                "next_owner": self.care.pk,
                "next_due": due.isoformat(),
            },
        )
        step = NextStep.objects.get()
        self.assertEqual(
            (step.what, step.owner, step.due, step.family),
            ("Terugbellen", self.care, due, self.jansen),
        )
        self.assertEqual(step.contact, Contact.objects.get())

    def test_it_makes_the_author_owner_when_nobody_is_chosen(self):
        self.login(self.mentor)
        due = timezone.localdate() + timedelta(days=1)
        self.client.post(
            self.url(self.jansen), {**REQUIRED, "next_what": "Mailen", "next_due": due.isoformat()}
        )
        self.assertEqual(NextStep.objects.get().owner, self.mentor)

    def test_it_refuses_a_missing_channel_and_keeps_what_was_typed(self):
        self.login(self.mentor)
        response = self.client.post(
            self.url(self.jansen),
            {"purpose": "worry", "tone": "concern", "note": "Belde over het verzuim."},
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Belde over het verzuim.", status_code=400)
        self.assertRegex(response.content.decode(), r'value="worry"[^>]*checked')
        self.assertFalse(Contact.objects.exists())

    def test_it_refuses_a_contact_in_the_future(self):
        self.login(self.mentor)
        future = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
        response = self.client.post(
            self.url(self.jansen), {**REQUIRED, "at": future, "note": "Nog niet gebeurd"}
        )
        self.assertContains(response, "in de toekomst", status_code=400)
        self.assertContains(response, "Nog niet gebeurd", status_code=400)
        self.assertFalse(Contact.objects.exists())

    def test_it_refuses_a_next_step_owner_who_may_not_see_the_family(self):
        self.login(self.mentor)
        due = timezone.localdate() + timedelta(days=3)
        for owner in (self.teacher, self.outsider, self.leader, self.dual):
            response = self.client.post(
                self.url(self.jansen),
                {
                    **REQUIRED,
                    "next_what": "Bellen",
                    "next_owner": owner.pk,
                    "next_due": due.isoformat(),
                },
            )
            self.assertContains(response, "kan dit gezin niet zien", status_code=400)
        self.assertFalse(Contact.objects.exists())
        self.assertFalse(NextStep.objects.exists())

    def test_it_refuses_a_next_step_in_the_past(self):
        self.login(self.mentor)
        response = self.client.post(
            self.url(self.jansen),
            {
                **REQUIRED,
                "next_what": "Bellen",
                "next_due": (timezone.localdate() - timedelta(days=1)).isoformat(),
            },
        )
        self.assertEqual(response.status_code, 400)

    def test_it_answers_htmx_with_the_form_and_with_a_confirmation(self):
        self.login(self.mentor)
        response = self.client.get(self.url(self.jansen), headers={"HX-Request": "true"})
        self.assertContains(response, "<form")
        self.assertNotContains(response, "<html")
        response = self.client.post(self.url(self.jansen), REQUIRED, headers={"HX-Request": "true"})
        self.assertContains(response, "opgeslagen")
        self.assertEqual(response["HX-Trigger"], "contactLogged")
        invalid = self.client.post(
            self.url(self.jansen), {"tone": "positive"}, headers={"HX-Request": "true"}
        )
        self.assertEqual(invalid.status_code, 200)  # htmx swaps the form with its errors
        self.assertContains(invalid, "errorlist")

    def test_it_lets_a_teacher_log_about_a_pupil_they_teach(self):
        self.login(self.teacher)
        response = self.client.get(self.url(self.jansen))
        self.assertContains(response, "Noah Jansen")
        response = self.client.post(self.url(self.jansen), REQUIRED)
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        self.assertEqual(Contact.objects.get().author, self.teacher)

    def test_it_offers_a_teacher_only_the_pupils_they_teach(self):
        self.login(self.teacher)
        response = self.client.get(self.url(self.yilmaz))  # Noah in 1A (taught), Lina in 2B
        self.assertContains(response, "Noah Yilmaz")
        self.assertNotContains(response, "Lina Yilmaz")

    def test_it_is_404_for_those_who_may_not_log(self):
        cases = [
            (self.teacher, self.el_amrani),
            (self.leader, self.jansen),
            (self.admin, self.jansen),
            (self.keyfigure, self.jansen),
            (self.partner, self.jansen),
            (self.parent, self.jansen),
            (self.outsider, self.jansen),
            (self.mentor, self.el_amrani),
        ]
        for user, family in cases:
            self.login(user)
            self.assertEqual(
                self.client.post(self.url(family), REQUIRED).status_code, 404, user.username
            )
        self.assertFalse(Contact.objects.exists())


REQUIRED_VALUES = ("phone", "acquaintance", "positive")
