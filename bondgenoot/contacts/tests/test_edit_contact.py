from django.urls import reverse

from bondgenoot.audit.models import AuditEntry
from bondgenoot.contacts.actions import update_contact
from bondgenoot.contacts.models import ContactRevision
from bondgenoot.people.models import Guardian
from bondgenoot.testing import BaseTestCase, add_contact

FORM = {"channel": "phone", "purpose": "informal", "tone": "neutral", "reached": "1"}


class EditContactTest(BaseTestCase):
    def setUp(self):
        self.contact = add_contact(self.jansen, self.mentor, days_ago=3, note="Eerste versie")

    def url(self):
        return reverse("contacts:edit", args=[self.contact.pk])

    def test_it_keeps_the_history_of_an_edit(self):
        self.login(self.mentor)
        response = self.client.post(
            self.url(), {**FORM, "tone": "positive", "note": "Tweede versie"}
        )
        self.assertRedirects(response, reverse("people:family", args=[self.jansen.pk]))
        self.contact.refresh_from_db()
        self.assertEqual((self.contact.tone, self.contact.note), ("positive", "Tweede versie"))
        revision = ContactRevision.objects.get()
        self.assertEqual(revision.changed_by, self.mentor)
        self.assertEqual(revision.changes["tone"], ["neutral", "positive"])
        self.assertEqual(revision.changes["note"], ["Eerste versie", "Tweede versie"])
        self.assertNotIn("at", revision.changes)  # an empty date keeps the original moment
        entry = AuditEntry.objects.filter(action="update").get()
        self.assertEqual(entry.detail, {"fields": ["note", "tone"]})
        page = self.client.get(self.url())
        self.assertContains(page, "Eerste versie")
        self.assertContains(page, "Tweede versie")

    def test_it_records_nothing_when_nothing_changed(self):
        self.login(self.mentor)
        self.client.post(self.url(), {**FORM, "note": "Eerste versie"})
        self.assertFalse(ContactRevision.objects.exists())

    def test_it_lets_a_care_coordinator_correct_a_contact(self):
        self.login(self.care)
        self.client.post(self.url(), {**FORM, "reached": "0", "note": "Eerste versie"})
        self.contact.refresh_from_db()
        self.assertFalse(self.contact.reached)
        self.assertEqual(ContactRevision.objects.get().changed_by, self.care)

    def test_it_refuses_another_mentor_who_can_read_it(self):
        other = add_contact(self.yilmaz, self.dual)
        self.login(self.mentor)  # mentor of Noah Yilmaz: reads, but did not write it
        response = self.client.post(reverse("contacts:edit", args=[other.pk]), FORM)
        self.assertEqual(response.status_code, 403)

    def test_it_is_404_for_everyone_else(self):
        for user in (
            self.teacher,
            self.leader,
            self.admin,
            self.outsider,
            self.parent,
            self.keyfigure,
            self.dual,
        ):
            self.login(user)
            self.assertEqual(self.client.get(self.url()).status_code, 404, user.username)

    def test_it_keeps_what_was_typed_on_an_error(self):
        self.login(self.mentor)
        response = self.client.post(self.url(), {**FORM, "channel": "", "note": "Bijna goed"})
        self.assertContains(response, "Bijna goed", status_code=400)
        self.contact.refresh_from_db()
        self.assertEqual(self.contact.note, "Eerste versie")


class UpdateContactActionTest(BaseTestCase):
    def test_it_keeps_guardians_and_pupils_when_their_keys_are_missing(self):
        contact = add_contact(self.jansen, self.mentor, dialogue=False)
        guardian = Guardian.objects.filter(guardianships__pupil__family=self.jansen).first()
        pupil = self.jansen.pupils.first()
        contact.guardians.set([guardian])
        contact.pupils.set([pupil])
        revision = update_contact(self.mentor, contact, {"dialogue": True})
        self.assertEqual(list(contact.guardians.all()), [guardian])
        self.assertEqual(list(contact.pupils.all()), [pupil])
        self.assertEqual(sorted(revision.changes), ["dialogue"])

    def test_it_clears_guardians_when_asked_to(self):
        contact = add_contact(self.jansen, self.mentor)
        contact.guardians.set(Guardian.objects.filter(guardianships__pupil__family=self.jansen))
        update_contact(self.mentor, contact, {"guardian_ids": []})
        self.assertFalse(contact.guardians.exists())
