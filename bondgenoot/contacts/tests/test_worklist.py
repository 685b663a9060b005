from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from bondgenoot.audit.models import AuditEntry
from bondgenoot.contacts.models import NextStep
from bondgenoot.testing import BaseTestCase, count_queries, grow


def step(family, owner, days: int, what="Bellen", done=False):
    return NextStep.objects.create(
        family=family,
        owner=owner,
        created_by=owner,
        what=what,
        due=timezone.localdate() + timedelta(days=days),
        done_at=timezone.now() if done else None,
    )


class WorklistTest(BaseTestCase):
    url = reverse("contacts:worklist")

    def test_it_sorts_steps_into_overdue_today_this_week_and_later(self):
        step(self.jansen, self.mentor, -3, "Achterstallig")
        step(self.jansen, self.mentor, 0, "Vandaag bellen")
        step(self.yilmaz, self.mentor, 40, "Later mailen")
        step(self.jansen, self.mentor, -1, "Al gedaan", done=True)
        step(self.jansen, self.care, 0, "Van iemand anders")
        self.login(self.mentor)
        response = self.client.get(self.url)
        body = response.content.decode()
        self.assertLess(body.index("Achterstallig"), body.index("Vandaag bellen"))
        self.assertLess(body.index("Vandaag bellen"), body.index("Later mailen"))
        self.assertNotIn("Al gedaan", body)
        self.assertNotIn("Van iemand anders", body)

    def test_it_marks_a_step_done_and_audits_it(self):
        s = step(self.jansen, self.mentor, -1)
        self.login(self.mentor)
        response = self.client.post(reverse("contacts:step_done", args=[s.pk]))
        self.assertRedirects(response, self.url)
        s.refresh_from_db()
        self.assertIsNotNone(s.done_at)
        self.assertEqual(s.done_by, self.mentor)
        self.assertTrue(AuditEntry.objects.filter(action="update", object_id=str(s.pk)).exists())

    def test_it_moves_a_step(self):
        s = step(self.jansen, self.mentor, -1)
        new = timezone.localdate() + timedelta(days=5)
        self.login(self.mentor)
        response = self.client.post(
            reverse("contacts:step_move", args=[s.pk]),
            {"due": new.isoformat()},
            headers={"HX-Request": "true"},
        )
        self.assertContains(response, f'id="step-{s.pk}"')
        s.refresh_from_db()
        self.assertEqual(s.due, new)

    def test_it_refuses_to_move_a_step_into_the_past(self):
        s = step(self.jansen, self.mentor, 1)
        self.login(self.mentor)
        past = timezone.localdate() - timedelta(days=2)
        response = self.client.post(
            reverse("contacts:step_move", args=[s.pk]),
            {"due": past.isoformat()},
            headers={"HX-Request": "true"},
        )
        self.assertContains(response, "voorbij")
        s.refresh_from_db()
        self.assertEqual(s.due, timezone.localdate() + timedelta(days=1))

    def test_it_keeps_the_typed_date_when_a_move_is_refused_without_javascript(self):
        s = step(self.jansen, self.mentor, 1)
        self.login(self.mentor)
        past = timezone.localdate() - timedelta(days=2)
        response = self.client.post(
            reverse("contacts:step_move", args=[s.pk]), {"due": past.isoformat()}
        )
        self.assertContains(response, "voorbij", status_code=400)
        self.assertContains(response, f'value="{past.isoformat()}"', status_code=400)

    def test_it_lets_the_care_coordinator_close_a_mentors_step(self):
        s = step(self.jansen, self.mentor, 0)
        self.login(self.care)
        self.client.post(reverse("contacts:step_done", args=[s.pk]))
        s.refresh_from_db()
        self.assertEqual(s.done_by, self.care)

    def test_it_is_404_for_a_step_of_a_family_out_of_reach(self):
        s = step(self.el_amrani, self.care, 0)
        for user in (self.mentor, self.teacher, self.leader, self.admin, self.outsider):
            self.login(user)
            self.assertEqual(
                self.client.post(reverse("contacts:step_done", args=[s.pk])).status_code, 404
            )
        s.refresh_from_db()
        self.assertIsNone(s.done_at)

    def test_it_shows_overdue_steps_on_the_mentors_start_page(self):
        step(self.jansen, self.mentor, -2, "Terugbellen over rapport")
        self.login(self.mentor)
        response = self.client.get(reverse("people:families"))
        self.assertContains(response, "Terugbellen over rapport")

    def test_the_start_page_counts_every_overdue_step_and_lists_the_first_five(self):
        self.login(self.mentor)
        for n in range(5):
            step(self.jansen, self.mentor, -10 + n, f"Stap {n}")
        response = self.client.get(reverse("people:families"))
        self.assertContains(response, "Je hebt 5 acties over tijd.")
        for n in range(5, 7):
            step(self.jansen, self.mentor, -10 + n, f"Stap {n}")
        response = self.client.get(reverse("people:families"))
        self.assertContains(response, "Je hebt 7 acties over tijd.")
        self.assertContains(response, "Stap 4")  # the five most overdue
        self.assertNotContains(response, "Stap 5")

    def test_its_query_count_does_not_grow_with_data(self):
        self.login(self.mentor)
        step(self.jansen, self.mentor, -1)
        self.client.get(self.url)
        small = count_queries(lambda: self.client.get(self.url))
        grow(self.school, self.group_1a, 20)
        for family in self.jansen.__class__.objects.filter(name__startswith="Extra"):
            for days in (-5, 0, 2, 30):
                step(family, self.mentor, days)
        large = count_queries(lambda: self.client.get(self.url))
        self.assertEqual(small, large)
