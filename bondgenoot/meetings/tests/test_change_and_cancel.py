"""A meeting can be changed and cancelled; invitees are told in their language, and their
answer page shows the change."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from bondgenoot.audit.models import AuditEntry
from bondgenoot.meetings import texts
from bondgenoot.meetings.models import Invitation
from bondgenoot.messaging.models import Delivery

from .test_meetings import MeetingTestCase


class ChangeAndCancelTest(MeetingTestCase):
    def setUp(self):
        self.meeting = self.make_meeting(days=10)
        self.invite_all(self.meeting)
        self.invitations = list(Invitation.objects.filter(meeting=self.meeting))
        self.assertTrue(self.invitations)
        self.before = set(Delivery.objects.values_list("pk", flat=True))

    def new_deliveries(self):
        return Delivery.objects.exclude(pk__in=self.before)

    def form(self, **changes):
        start = timezone.localtime(self.meeting.starts_at)
        values = {
            "title": self.meeting.title,
            "description": "",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "place": self.meeting.place,
            "capacity": "",
        }
        return {**values, **changes}

    def test_a_new_time_is_told_to_every_invitee_in_their_language(self):
        later = timezone.localtime(self.meeting.starts_at) + timedelta(days=1)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("meetings:edit", args=[self.meeting.pk]),
                self.form(
                    starts_at=later.strftime("%Y-%m-%dT%H:%M"),
                    ends_at=(later + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
                ),
            )
        self.assertRedirects(response, reverse("meetings:detail", args=[self.meeting.pk]))
        self.meeting.refresh_from_db()
        self.assertIsNotNone(self.meeting.changed_at)
        told = self.new_deliveries()
        self.assertEqual(told.count(), len(self.invitations))
        arabic = told.filter(language="ar").first()
        self.assertIsNotNone(arabic)
        self.assertIn(texts.when(self.meeting, "ar"), arabic.body)
        self.assertTrue(arabic.subject.startswith("تغيير"))
        # The answer page shows the change, in the parent's language.
        invitation = Invitation.objects.get(guardian=arabic.guardian, meeting=self.meeting)
        page = self.client.get(reverse("meetings:answer", args=[invitation.token]))
        self.assertContains(page, texts.texts("ar")["changed_notice"])
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditEntry.Action.UPDATE, object_id=str(self.meeting.pk)
            ).exists()
        )

    def test_a_new_title_alone_tells_nobody(self):
        self.client.post(
            reverse("meetings:edit", args=[self.meeting.pk]), self.form(title="Anders")
        )
        self.meeting.refresh_from_db()
        self.assertEqual(self.meeting.title, "Anders")
        self.assertIsNone(self.meeting.changed_at)
        self.assertFalse(self.new_deliveries().exists())

    def test_cancelling_tells_everyone_and_closes_the_answer_page(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("meetings:cancel", args=[self.meeting.pk]))
        self.meeting.refresh_from_db()
        self.assertIsNotNone(self.meeting.cancelled_at)
        self.assertEqual(self.new_deliveries().count(), len(self.invitations))
        invitation = self.invitations[0]
        page = self.client.get(reverse("meetings:answer", args=[invitation.token]))
        self.assertEqual(page.status_code, 410)
        self.assertContains(
            page, texts.texts(invitation.language)["cancelled_notice"], status_code=410
        )
        answer = self.client.post(
            reverse("meetings:answer", args=[invitation.token]), {"answer": "yes", "people": 1}
        )
        self.assertEqual(answer.status_code, 410)
        self.assertEqual(Invitation.objects.get(pk=invitation.pk).answer, "")
        # A second cancel tells nobody again.
        self.client.post(reverse("meetings:cancel", args=[self.meeting.pk]))
        self.assertEqual(self.new_deliveries().count(), len(self.invitations))

    def test_only_who_manages_the_meeting_changes_it(self):
        self.login(self.mentor)  # organises, but not this meeting (care made it)
        self.assertEqual(
            self.client.get(reverse("meetings:edit", args=[self.meeting.pk])).status_code, 403
        )
        self.assertEqual(
            self.client.post(reverse("meetings:cancel", args=[self.meeting.pk])).status_code, 403
        )
        self.meeting.refresh_from_db()
        self.assertIsNone(self.meeting.cancelled_at)
        self.login(self.care)  # positive control
        self.assertEqual(
            self.client.get(reverse("meetings:edit", args=[self.meeting.pk])).status_code, 200
        )
