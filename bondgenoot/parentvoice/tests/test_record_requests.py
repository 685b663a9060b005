from datetime import date

from django.urls import reverse

from bondgenoot.parentvoice.actions import one_month_later
from bondgenoot.parentvoice.models import RecordRequest
from bondgenoot.people.models import Role
from bondgenoot.testing import make_user

from .base import VoiceTestCase


class RecordRequestTest(VoiceTestCase):
    def ask(self, **fields):
        data = {"form_key": "r" * 20, "kind": "correction", "record": "", "text": "Fout.", **fields}
        return self.client.post(reverse("parentvoice:request_new", args=[self.pupil.pk]), data)

    def test_it_is_due_within_one_month(self):
        self.assertEqual(one_month_later(date(2026, 1, 31)), date(2026, 2, 28))
        self.assertEqual(one_month_later(date(2026, 12, 15)), date(2027, 1, 15))

    def test_the_parent_asks_the_care_coordinator_answers_and_the_parent_reads_it(self):
        self.login(self.parent)
        response = self.ask(record=f"c:{self.contact.pk}", text="De datum klopt niet.")
        made = RecordRequest.objects.get()
        self.assertRedirects(
            response, reverse("parentvoice:request", args=[self.pupil.pk, made.pk])
        )
        self.assertEqual(made.contact, self.contact)
        self.assertEqual(made.status, "open")
        self.ask(record=f"c:{self.contact.pk}", text="De datum klopt niet.")  # replayed
        self.assertEqual(RecordRequest.objects.count(), 1)

        self.login(self.care)
        queue = self.client.get(reverse("network:list"))
        self.assertContains(queue, reverse("parentvoice:queue"))
        self.assertContains(queue, "1 open")
        page = self.client.get(reverse("parentvoice:queue"))
        self.assertContains(page, reverse("parentvoice:handle", args=[made.pk]))
        response = self.client.post(
            reverse("parentvoice:handle", args=[made.pk]),
            {"status": "granted", "answer": "We hebben de datum verbeterd."},
        )
        self.assertRedirects(response, reverse("parentvoice:queue"))
        made.refresh_from_db()
        self.assertEqual((made.status, made.handled_by), ("granted", self.care))

        self.login(self.parent)
        detail = self.client.get(reverse("parentvoice:request", args=[self.pupil.pk, made.pk]))
        self.assertContains(detail, "We hebben de datum verbeterd.")
        index = self.client.get(reverse("parentvoice:index", args=[self.pupil.pk]))
        self.assertContains(index, reverse("parentvoice:request", args=[self.pupil.pk, made.pk]))

    def test_a_record_the_parent_may_not_see_is_not_offered(self):
        self.login(self.parent)
        response = self.ask(record=f"c:{self.sibling_contact.pk}")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(RecordRequest.objects.exists())
        response = self.ask(text="y" * 2001)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "y" * 2001, status_code=400)

    def test_only_care_coordinators_of_the_school_handle_requests(self):
        made = RecordRequest.objects.create(
            school=self.school, family=self.jansen, pupil=self.pupil, guardian=self.guardian,
            kind="objection", text="Bezwaar.", due=date.today(), form_key="s" * 20,
        )  # fmt: skip
        other_care = make_user("othercare", school=self.other_school, roles=[Role.CARE_COORDINATOR])
        self.login(self.care)
        self.assertEqual(self.client.get(reverse("parentvoice:queue")).status_code, 200)
        handle = reverse("parentvoice:handle", args=[made.pk])
        self.assertEqual(self.client.get(handle).status_code, 200)
        for user in (self.mentor, self.teacher, self.leader, self.admin, self.parent):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(reverse("parentvoice:queue")).status_code, 403)
                self.assertEqual(self.client.get(handle).status_code, 404)
        self.login(other_care)
        self.assertEqual(self.client.get(handle).status_code, 404)
        self.assertNotContains(self.client.get(reverse("parentvoice:queue")), "Bezwaar")

    def test_another_parent_cannot_read_the_request(self):
        made = RecordRequest.objects.create(
            school=self.school, family=self.jansen, pupil=self.pupil, guardian=self.guardian,
            kind="objection", text="Bezwaar.", due=date.today(), form_key="t" * 20,
        )  # fmt: skip
        url = reverse("parentvoice:request", args=[self.pupil.pk, made.pk])
        self.login(self.parent)
        self.assertEqual(self.client.get(url).status_code, 200)
        other = make_user("otherparent")
        self.other_guardian.user = other
        self.other_guardian.save()
        self.login(other)
        self.assertEqual(self.client.get(url).status_code, 404)
