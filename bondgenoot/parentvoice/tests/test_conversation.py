from django.urls import reverse

from bondgenoot.audit.models import AuditEntry
from bondgenoot.contacts.models import Contact, NextStep
from bondgenoot.parentvoice.models import ConversationRequest
from bondgenoot.people.models import Guardianship

from .base import VoiceTestCase


class ConversationTest(VoiceTestCase):
    def url(self, pupil=None):
        return reverse("parentvoice:conversation", args=[(pupil or self.pupil).pk])

    def post(self, **fields):
        data = {
            "form_key": "k" * 20,
            "topic": "Ik wil praten over huiswerk.",
            "preferred_times": "dinsdag na 16:00",
            "channel": "phone",
            "with_whom": "contact_person",
            "interpreter": "",
            **fields,
        }
        return self.client.post(self.url(), data)

    def test_it_makes_a_parent_started_dialogue_and_a_next_step_for_the_mentor(self):
        self.login(self.parent)
        response = self.post()
        self.assertRedirects(response, reverse("parentvoice:index", args=[self.pupil.pk]))
        made = ConversationRequest.objects.get()
        contact = made.contact
        self.assertEqual(contact.initiator, "parent")
        self.assertEqual(contact.channel, "portal")
        self.assertEqual(contact.purpose, "parent_request")
        self.assertTrue(contact.dialogue)
        self.assertEqual(list(contact.guardians.all()), [self.guardian])
        self.assertEqual(list(contact.pupils.all()), [self.pupil])
        self.assertEqual(made.next_step.owner, self.mentor)
        self.assertEqual(self.jansen.summary.__class__.objects.get(family=self.jansen)
                         .last_dialogue_at, contact.at)  # fmt: skip
        self.assertTrue(AuditEntry.objects.filter(object_id=str(made.pk), action="create").exists())
        # The mentor sees it in "Mijn acties".
        self.login(self.mentor)
        page = self.client.get(reverse("contacts:worklist"))
        self.assertContains(page, "vraagt om een gesprek")

    def test_it_goes_to_the_fixed_contact_person_when_there_is_one(self):
        self.jansen.contact_person = self.care
        self.jansen.save()
        self.login(self.parent)
        self.post()
        self.assertEqual(NextStep.objects.get().owner, self.care)

    def test_a_replayed_form_makes_one_request(self):
        self.login(self.parent)
        self.post()
        self.post()
        self.assertEqual(ConversationRequest.objects.count(), 1)
        self.assertEqual(Contact.objects.filter(initiator="parent").count(), 1)
        self.assertEqual(NextStep.objects.count(), 1)
        self.post(form_key="z" * 20)  # a new showing of the form: a new request
        self.assertEqual(ConversationRequest.objects.count(), 2)

    def test_it_refuses_a_too_long_topic_and_keeps_what_was_typed(self):
        self.login(self.parent)
        typed = "Heel lang verhaal. " * 60
        response = self.post(topic=typed)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Uw tekst is te lang: maximaal 1000 tekens", status_code=400)
        self.assertContains(response, typed.strip()[:200], status_code=400)
        self.assertFalse(ConversationRequest.objects.exists())

    def test_it_is_404_for_another_family_a_child_without_authority_and_staff(self):
        self.login(self.parent)
        self.assertEqual(self.client.get(self.url()).status_code, 200)  # positive control
        self.assertEqual(self.client.get(self.url(self.el_amrani_pupil)).status_code, 404)
        self.assertEqual(self.client.get(self.url(self.step_sibling)).status_code, 404)
        Guardianship.objects.filter(guardian=self.guardian).update(parental_authority=False)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        for user in (self.mentor, self.care, self.admin, self.outsider):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(self.url()).status_code, 404)

    def test_it_is_404_for_a_child_who_left(self):
        self.login(self.parent)
        self.pupil.left_on = self.pupil.date_of_birth.replace(year=2024)
        self.pupil.save()
        self.assertEqual(self.client.get(self.url()).status_code, 404)

    def test_it_sends_anonymous_visitors_to_log_in_and_is_never_cached(self):
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 302)
        self.login(self.parent)
        self.assertIn("no-store", self.client.get(self.url())["Cache-Control"])
