"""A form posted twice (a retry after a timeout or a database outage, a double click)
records one contact: the form carries a random key (issue 13, reliability 4)."""

import re
import uuid

from django.urls import reverse
from django.utils import timezone

from bondgenoot.audit.models import AuditEntry
from bondgenoot.contacts.actions import log_contact
from bondgenoot.contacts.models import Contact
from bondgenoot.testing import BaseTestCase

REQUIRED = {"channel": "phone", "purpose": "acquaintance", "tone": "positive", "reached": "1"}


class IdempotencyTest(BaseTestCase):
    def url(self, family):
        return reverse("contacts:new", args=[family.pk])

    def test_the_form_carries_a_fresh_key(self):
        self.login(self.mentor)
        keys = [
            re.search(
                r'name="idempotency_key" value="([^"]+)"',
                self.client.get(self.url(self.jansen)).content.decode(),
            ).group(1)
            for _ in range(2)
        ]
        self.assertNotEqual(keys[0], keys[1])
        uuid.UUID(keys[0])

    def test_the_same_form_posted_twice_records_one_contact(self):
        self.login(self.mentor)
        data = {**REQUIRED, "idempotency_key": str(uuid.uuid4())}
        first = self.client.post(self.url(self.jansen), data)
        second = self.client.post(self.url(self.jansen), data)
        self.assertEqual(first.status_code, 302)
        self.assertEqual(second.status_code, 302)  # the same answer: saved
        self.assertEqual(Contact.objects.count(), 1)
        self.assertEqual(AuditEntry.objects.filter(action="create").count(), 1)
        # Positive control: a new form (a new key) records a second contact.
        self.client.post(self.url(self.jansen), {**REQUIRED, "idempotency_key": str(uuid.uuid4())})
        self.assertEqual(Contact.objects.count(), 2)

    def test_without_a_key_every_post_records(self):
        self.login(self.mentor)
        self.client.post(self.url(self.jansen), REQUIRED)
        self.client.post(self.url(self.jansen), REQUIRED)
        self.assertEqual(Contact.objects.count(), 2)

    def test_someone_elses_key_does_not_answer_with_their_contact(self):
        key = uuid.uuid4()
        values = {
            "channel": "phone",
            "purpose": "acquaintance",
            "tone": "positive",
            "reached": True,
            "at": timezone.now(),
        }
        theirs = log_contact(self.mentor, self.jansen, values, key=key)
        mine = log_contact(self.dual, self.yilmaz, values, key=key)
        self.assertNotEqual(mine.pk, theirs.pk)
        self.assertEqual(mine.author, self.dual)
